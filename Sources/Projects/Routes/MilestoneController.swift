import FlotillaKit
import Hummingbird

/// `GET/POST /projects/{key}/milestones`, `PATCH/DELETE /projects/{key}/milestones/{id}`:
/// members read, admins change.
struct MilestoneController: Sendable {
    let milestones: MilestoneRepository
    let access: ProjectAccess

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/projects/{key}/milestones", use: list)
        group.post("/projects/{key}/milestones", use: create)
        group.patch("/projects/{key}/milestones/{id}", use: update)
        group.delete("/projects/{key}/milestones/{id}", use: delete)
    }

    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .viewer)
        return JSONResponse.make(["data": try await milestones.list(project: project.id)])
    }

    /// `{name, due_on?, state?}` (`open` or `closed`, default open).
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", required: true, length: 1...100)
        let due = body.date("due_on")
        let state = body.choice("state", in: ["open", "closed"])
        try body.validate()
        let milestone = try await milestones.create(project: project, name: name.value!, dueOn: due.value, state: state.value ?? "open")
        return JSONResponse.make(milestone, status: .created)
    }

    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .admin)
        let id = try context.uuidParameter("id", what: "milestone")
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", length: 1...100)
        let due = body.date("due_on")
        let state = body.choice("state", in: ["open", "closed"])
        if case .clear = name { body.record("name", "cannot be null") }
        if case .clear = state { body.record("state", "cannot be null") }
        try body.validate()
        return JSONResponse.make(try await milestones.update(id, project: project, name: name.value, dueOn: due, state: state.value))
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .admin)
        try await milestones.delete(try context.uuidParameter("id", what: "milestone"), project: project)
        return Response(status: .noContent)
    }
}
