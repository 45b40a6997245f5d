import FlotillaKit
import HTTPTypes
import Hummingbird
import Prometheus

/// `POST/GET /tasks`, `GET/PATCH/DELETE /tasks/{ref}` (a UUID or a key such as `WEB-142`)
/// and `GET /tasks/{ref}/activity`. Reads carry an `ETag`; a write with a stale `If-Match`
/// is 412.
struct TaskController: Sendable {
    let pool: PostgresPool
    let store: TaskStore
    let writer: TaskWriter
    let list: TaskList
    let access: TaskAccess
    let metrics: TasksMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/tasks", use: create)
        group.get("/tasks", use: index)
        group.get("/tasks/{ref}", use: show)
        group.patch("/tasks/{ref}", use: update)
        group.delete("/tasks/{ref}", use: delete)
        group.get("/tasks/{ref}/activity", use: activity)
    }

    /// A project task with `project` (members and above), else a personal task.
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let origin = TaskChanges.readOrigin(&body)
        let changes = TaskChanges.read(&body, creating: true)
        try body.validate()
        var document: ProjectAccessDocument?
        if let key = origin.project { document = try await access.project(key, request, principal, for: .write) }
        let problems = changes.problems(in: document, owner: principal.subject)
        if !problems.isEmpty { throw APIError.invalidFields(problems) }
        let task = try await Self.importConflict(origin) {
            try await pool.withTransaction { session in
                try await writer.create(changes, origin: origin, owner: principal.subject, document: document, in: session)
            }
        }
        metrics.created.increment()
        var response = task.entityTag.tagging(JSONResponse.make(task, status: .created))
        response.headers[.location] = "/tasks/\(task.reference)"
        return response
    }

    /// Filters: `project`, `state`, `state_group`, `assignee` (`me`, `none` or a user id),
    /// `label`, `priority`, `due_before`, `due_after`, `overdue`, `parent` (`none` for top
    /// level), `q` (full text); `sort`; `limit` and `cursor`. Without `project`: the caller's
    /// personal tasks and the tasks assigned to them.
    @Sendable func index(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = try TaskListQuery(request, caller: principal.subject)
        let scope: TaskList.Scope
        if let key = query.project {
            scope = .project(id: try await access.project(key, request, principal, for: .read).project.id)
        } else {
            scope = .mine(user: principal.subject)
        }
        return JSONResponse.make(try await list.page(query, scope: scope))
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let task = try await access.task(request, context, for: .read).task
        return task.entityTag.tagging(JSONResponse.make(task))
    }

    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .write)
        var body = try await JSONObjectReader(request, context: context)
        let changes = TaskChanges.read(&body, creating: false)
        if changes.isEmpty { body.record("body", "send at least one field to change") }
        try body.validate()
        let problems = changes.problems(in: grant.document, owner: grant.task.ownerID)
        if !problems.isEmpty { throw APIError.invalidFields(problems) }
        let updated = try await pool.withTransaction { session in
            try await writer.update(grant.task.id, with: changes, actor: grant.principal.subject, document: grant.document,
                                    precondition: { try $0.entityTag.check(request) }, in: session)
        }
        if updated.stateGroup == .completed && grant.task.stateGroup != .completed { metrics.completed.increment() }
        return updated.entityTag.tagging(JSONResponse.make(updated))
    }

    /// Admins of the project (or the owner of a personal task) delete.
    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .delete)
        try grant.task.entityTag.check(request)
        try await pool.withTransaction { session in
            try await writer.delete(grant.task, actor: grant.principal.subject, in: session)
        }
        return Response(status: .noContent)
    }

    /// `?after=<entry id>&limit=`: the task's activity, oldest first.
    @Sendable func activity(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let grant = try await access.task(request, context, for: .read)
        var query = QueryReader(request)
        let after = query.integer("after", default: 0, in: 0...Int(Int64.max))
        let limit = query.integer("limit", default: 100, in: 1...500)
        try query.validate()
        return JSONResponse.make(["data": try await store.activity(task: grant.task.id, after: after, limit: limit)])
    }

    /// An import that names an `external_source`/`external_id` pair already imported is 409.
    static func importConflict<Value>(_ origin: TaskChanges.Origin, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as PostgresError where error.sqlState == PostgresError.SQLState.uniqueViolation && error.constraint?.contains("external") == true {
            throw APIError(
                .conflict, code: "already_imported",
                message: "A task from \(origin.externalSource ?? "") with id \(origin.externalID ?? "") exists already.")
        }
    }
}
