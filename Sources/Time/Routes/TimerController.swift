import FlotillaKit
import Hummingbird

/// `GET/POST /timers`, `POST /timers/stop` and `POST /timers/restart`: timers are entries
/// without an end; starting one beyond the limit stops the oldest running one, atomically.
struct TimerController: Sendable {
    let writer: EntryWriter
    let entries: EntryController

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/timers", use: running)
        group.post("/timers", use: start)
        group.post("/timers/stop", use: stop)
        group.post("/timers/restart", use: restart)
    }

    @Sendable func running(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let timers = try await writer.pool.withConnection { try await EntryStore.running(user: principal.subject, in: $0) }
        return JSONResponse.make(["data": timers])
    }

    /// `{project, task?, description?, billable?, tags?}`: the new timer, and any it stopped.
    @Sendable func start(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        var body = try await JSONObjectReader(request, context: context)
        let input = EntryInput(&body, times: false)
        if input.project.value == nil && !input.project.isClear { body.record("project", "is required") }
        try body.validate()
        let draft = try await entries.draft(input, request, principal)
        let (started, stopped) = try await writer.start(draft, user: principal.subject)
        return JSONResponse.make(TimerStart(timer: started, stopped: stopped), status: .created)
    }

    /// Stop the newest running timer; the stopped entry.
    @Sendable func stop(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return JSONResponse.make(try await writer.stopTimer(user: principal.subject))
    }

    /// Start a timer like the last entry (same project, task, description, tags).
    @Sendable func restart(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let last = try await writer.lastDraft(user: principal.subject)
        var input = EntryInput()
        input.project = .set(last.project)
        input.task = last.task.map { .set($0) } ?? .absent
        input.description = .set(last.description)
        input.billable = .set(last.billable)
        input.tags = .set(last.tags)
        let draft = try await entries.draft(input, request, principal)
        let (started, stopped) = try await writer.start(draft, user: principal.subject)
        return JSONResponse.make(TimerStart(timer: started, stopped: stopped), status: .created)
    }
}

/// `POST /timers`: the timer started and the ones stopped to make room.
struct TimerStart: Encodable, Sendable {
    let timer: TimeEntry
    let stopped: [TimeEntry]
}
