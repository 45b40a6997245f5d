import FlotillaKit
import Hummingbird

/// A project's workflow states and labels: anyone in the project reads them, admins change
/// them. `GET/POST /projects/{key}/states`, `PATCH/DELETE /projects/{key}/states/{id}`, and
/// the same for `/labels`.
struct WorkflowController: Sendable {
    let workflow: WorkflowRepository
    let access: ProjectAccess

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/projects/{key}/states", use: states)
        group.post("/projects/{key}/states", use: createState)
        group.patch("/projects/{key}/states/{id}", use: updateState)
        group.delete("/projects/{key}/states/{id}", use: deleteState)
        group.get("/projects/{key}/labels", use: labels)
        group.post("/projects/{key}/labels", use: createLabel)
        group.patch("/projects/{key}/labels/{id}", use: updateLabel)
        group.delete("/projects/{key}/labels/{id}", use: deleteLabel)
    }

    @Sendable func states(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .viewer)
        return JSONResponse.make(["data": try await workflow.states(project: project.id)])
    }

    /// `{name, group, color?, position?, is_default?}`.
    @Sendable func createState(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        let change = try await Self.stateChange(request, context: context, creating: true)
        return JSONResponse.make(try await workflow.createState(project: project, change, actor: principal.subject), status: .created)
    }

    /// `{name?, group?, color?, position?, is_default: true?}`.
    @Sendable func updateState(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        let id = try context.uuidParameter("id", what: "workflow state")
        let change = try await Self.stateChange(request, context: context, creating: false)
        return JSONResponse.make(try await workflow.updateState(id, project: project, change, actor: principal.subject))
    }

    @Sendable func deleteState(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        try await workflow.deleteState(try context.uuidParameter("id", what: "workflow state"), project: project, actor: principal.subject)
        return Response(status: .noContent)
    }

    @Sendable func labels(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .viewer)
        return JSONResponse.make(["data": try await workflow.labels(project: project.id)])
    }

    /// `{name, color}`.
    @Sendable func createLabel(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", required: true, length: 1...50)
        let color = Self.color(&body, required: true)
        try body.validate()
        return JSONResponse.make(try await workflow.createLabel(project: project, name: name.value!, color: color.value!, actor: principal.subject), status: .created)
    }

    @Sendable func updateLabel(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        let id = try context.uuidParameter("id", what: "label")
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", length: 1...50)
        let color = Self.color(&body, required: false)
        if case .clear = name { body.record("name", "cannot be null") }
        if case .clear = color { body.record("color", "cannot be null") }
        try body.validate()
        return JSONResponse.make(try await workflow.updateLabel(id, project: project, name: name.value, color: color.value, actor: principal.subject))
    }

    @Sendable func deleteLabel(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin)
        try await workflow.deleteLabel(try context.uuidParameter("id", what: "label"), project: project, actor: principal.subject)
        return Response(status: .noContent)
    }

    static func stateChange(_ request: Request, context: FlotillaRequestContext, creating: Bool) async throws -> WorkflowRepository.StateChange {
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", required: creating, length: 1...50)
        let group = body.choice("group", in: StateGroup.listed, required: creating)
        let color = color(&body, required: false)
        let position = body.integer("position", in: 0...1000)
        let isDefault = body.bool("is_default")
        if case .set(false) = isDefault { body.record("is_default", "can only be set to true (make another state the default to change it)") }
        if !creating && body.isEmpty { body.record("body", "send at least one field to change") }
        try body.validate()
        return WorkflowRepository.StateChange(
            name: name.value, group: group.value.flatMap(StateGroup.init(rawValue:)), color: color, position: position.value,
            makeDefault: isDefault.value == true)
    }

    /// `#rrggbb`, lower-case.
    static func color(_ body: inout JSONObjectReader, required: Bool) -> Patch<String> {
        let color = body.string("color", required: required, length: 7...7)
        if let text = color.value, !(text.hasPrefix("#") && text.dropFirst().allSatisfy { $0.isHexDigit && !$0.isUppercase }) {
            body.record("color", "must be a colour like #22c55e (lower-case hex)")
        }
        return color
    }
}
