import FlotillaKit
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST/GET /time-entries` and `GET/PATCH/DELETE /time-entries/{id}`: the caller's own
/// entries (anyone else's are 404), in projects where they are at least a member.
struct EntryController: Sendable {
    let store: EntryStore
    let writer: EntryWriter
    let access: TimeAccess
    let tasks: TaskChecker
    let zones: UserZones
    let metrics: TimeMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.post("/time-entries", use: create)
        group.get("/time-entries", use: list)
        group.get("/time-entries/{id}", use: show)
        group.patch("/time-entries/{id}", use: update)
        group.delete("/time-entries/{id}", use: delete)
    }

    /// `{project, task?, description?, billable?, tags?, started_at, ended_at | duration}`.
    @Sendable func create(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let input = EntryInput(&body, times: true)
        if input.project.value == nil && !input.project.isClear { body.record("project", "is required") }
        if !input.sentTimes.contains("started_at") { body.record("started_at", "is required") }
        if input.sentTimes.isDisjoint(with: ["ended_at", "duration"]) {
            body.record("ended_at", "give ended_at or duration (a running entry is a timer: POST /timers)")
        }
        try body.validate()
        let draft = try await draft(input, request, principal)
        let entry = try await writer.create(draft, user: principal.subject, start: input.start!, end: input.resolvedEnd!)
        metrics.entriesLogged.increment()
        var response = JSONResponse.make(entry, status: .created)
        response.headers[.location] = "/time-entries/\(entry.id)"
        return response
    }

    /// The caller's entries: `from`, `to` (days in the caller's zone; default the last 7
    /// days), `project`, `limit`.
    @Sendable func list(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var query = QueryReader(request)
        let from = query.string("from", maxLength: 10).map { ($0, LocalDate($0)) }
        let to = query.string("to", maxLength: 10).map { ($0, LocalDate($0)) }
        let project = query.string("project", maxLength: 10)
        let limit = query.integer("limit", default: 100, in: 1...500)
        if let from, from.1 == nil { query.record("from", "must be a date such as 2026-12-01") }
        if let to, to.1 == nil { query.record("to", "must be a date such as 2026-12-07") }
        try query.validate()
        let zone = try await store.pool.withConnection { try await zones.zone(of: principal.subject, in: $0) }
        let today = zone.localDate(at: Int64(Date().timeIntervalSince1970))
        let last = to?.1 ?? today, first = from?.1 ?? last.adding(days: -6)
        let start = Date(timeIntervalSince1970: TimeInterval(zone.instant(on: first, minute: 0)))
        let end = Date(timeIntervalSince1970: TimeInterval(zone.instant(on: last.adding(days: 1), minute: 0)))
        let entries = try await store.list(user: principal.subject, from: start, to: end, project: project, limit: limit)
        return JSONResponse.make(["data": entries])
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let entry = try await store.find(try Self.id(context), user: principal.subject) else { throw EntryWriter.notFound(context.parameters.get("id") ?? "") }
        return JSONResponse.make(entry)
    }

    /// Any of the create fields; `task`, `description` and `tags` may be null.
    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = try Self.id(context)
        var body = try await JSONObjectReader(request, context: context)
        let input = EntryInput(&body, times: true)
        try body.validate()
        guard let current = try await store.find(id, user: principal.subject) else { throw EntryWriter.notFound(id) }
        if current.isRunning && (input.end != nil || input.durationSeconds != nil) {
            throw APIError.invalidField("ended_at", "This entry is a running timer; stop it with POST /timers/stop.")
        }
        let key = input.project.value ?? current.project
        let document = try await access.project(key, request, principal, needs: .member)
        let task: String? = input.task.isPresent ? input.task.value : (input.project.value == nil ? current.task : nil)
        if let task, task != current.task || key != current.project {
            try await tasks.requireTask(task, inProject: key, authorization: request.headers[.authorization])
        }
        let entry = try await writer.update(id, user: principal.subject) { entry in
            entry.projectID = document.project.id
            entry.project = document.project.key
            entry.task = task
            if input.description.isPresent { entry.description = input.description.value ?? "" }
            if let billable = input.billable.value { entry.billable = billable }
            if input.tags.isPresent { entry.tags = input.tags.value ?? [] }
            let start = input.start ?? entry.start
            if let end = input.end {
                entry.end = end
            } else if let seconds = input.durationSeconds {
                entry.end = start.addingTimeInterval(TimeInterval(seconds))
            } else if input.start != nil, let end = entry.end {
                entry.end = start.addingTimeInterval(end.timeIntervalSince(entry.start))  // a new start moves the entry, keeping its length
            }
            entry.start = start
            if let end = entry.end, end < entry.start { throw APIError.invalidField("ended_at", "The end is before the start.") }
        }
        return JSONResponse.make(entry)
    }

    @Sendable func delete(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try await writer.delete(try Self.id(context), user: principal.subject)
        return Response(status: .noContent)
    }

    /// The entry's project (the caller a member of it) and task (checked with tasks).
    func draft(_ input: EntryInput, _ request: Request, _ principal: Principal) async throws -> EntryWriter.Draft {
        let document = try await access.project(input.project.value!, request, principal, needs: .member)
        if let task = input.task.value {
            try await tasks.requireTask(task, inProject: document.project.key, authorization: request.headers[.authorization])
        }
        return EntryWriter.Draft(
            project: document.project, task: input.task.value, description: input.description.value ?? "",
            billable: input.billable.value ?? true, tags: input.tags.value ?? [])
    }

    static func id(_ context: FlotillaRequestContext) throws(APIError) -> String {
        guard let id = context.parameters.get("id"), UUID(uuidString: id) != nil else { throw EntryWriter.notFound(context.parameters.get("id") ?? "") }
        return id
    }
}
