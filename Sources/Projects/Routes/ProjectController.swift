import FlotillaKit
import Hummingbird
import Prometheus

/// `POST/GET /projects`, `GET/PATCH /projects/{key}`, `POST /projects/{key}/archive` and
/// `/unarchive`, and `GET /project-templates`.
struct ProjectController: Sendable {
    let projects: ProjectRepository
    let access: ProjectAccess
    let metrics: ProjectsMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/project-templates", use: templates)
        group.post("/projects", use: create)
        group.get("/projects", use: list)
        group.get("/projects/{key}", use: show)
        group.patch("/projects/{key}", use: update)
        group.post("/projects/{key}/archive", use: archive)
        group.post("/projects/{key}/unarchive", use: unarchive)
    }

    @Sendable func templates(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try context.requirePrincipal()
        return JSONResponse.make(["data": ProjectTemplate.all])
    }

    /// `{key, name, description?, settings?, template?}`; the caller becomes the owner.
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let key = body.string("key", required: true, length: 2...10)
        let name = body.string("name", required: true, length: 1...100)
        let description = body.string("description", length: 0...2000)
        let settings = body.object("settings")
        let templateID = body.choice("template", in: ProjectTemplate.all.map(\.id))
        if let key = key.value, !ProjectKey.isValid(key) { body.record("key", "must be 2 to 10 upper-case letters A-Z, such as WEB") }
        try body.validate()
        let project = try await projects.create(
            ProjectRepository.NewProject(
                key: key.value!, name: name.value!, description: description.value.flatMap { $0.isEmpty ? nil : $0 },
                settings: settings.value ?? [:], template: ProjectTemplate.named(templateID.value ?? ProjectTemplate.defaultID)!),
            owner: principal.subject)
        metrics.projectsCreated.increment()
        var response = JSONResponse.make(project, status: .created)
        response.headers[.location] = "/projects/\(project.key)"
        return response
    }

    /// The caller's projects: `?archived=false|true|all` (default false), `limit`, `offset`.
    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let page = PageRequest(&query, defaultLimit: 20, maxLimit: 100)
        let archived = query.choice("archived", in: ["false", "true", "all"]) ?? "false"
        try query.validate()
        let (found, total) = try await projects.list(user: principal.subject, archived: archived == "all" ? nil : archived == "true", page: page)
        return JSONResponse.make(ProjectPage(data: found, pagination: page.info(total: total)))
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        JSONResponse.make(try await access.project(context, needs: .viewer).project)
    }

    /// `{name?, description?, settings?}` (settings merge key by key); the key is immutable.
    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, _) = try await access.project(context, needs: .admin)
        var body = try await JSONObjectReader(request, context: context)
        let name = body.string("name", length: 1...100)
        let description = body.string("description", length: 0...2000)
        let settings = body.object("settings")
        if body.value("key").isPresent { body.record("key", "cannot change: task keys are made from it") }
        if case .clear = name { body.record("name", "cannot be null") }
        if case .clear = settings { body.record("settings", "cannot be null; send {} to keep it as it is") }
        try body.validate()
        return JSONResponse.make(try await projects.update(project, name: name, description: description, settings: settings))
    }

    @Sendable func archive(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin, allowArchived: true)
        return JSONResponse.make(try await projects.setArchived(project, archived: true, actor: principal.subject))
    }

    @Sendable func unarchive(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let (project, principal) = try await access.project(context, needs: .admin, allowArchived: true)
        return JSONResponse.make(try await projects.setArchived(project, archived: false, actor: principal.subject))
    }
}
