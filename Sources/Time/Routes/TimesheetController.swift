import FlotillaKit
import Hummingbird
import Prometheus

/// `GET /timesheets/pending`, `GET /timesheets/{week}` (`?user=` for an approver),
/// `POST /timesheets/{week}/submit`, and `POST /timesheets/{week}/approve|reject` with `{user_id}`.
struct TimesheetController: Sendable {
    let timesheets: TimesheetRepository
    let access: TimeAccess
    let metrics: TimeMetrics

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/timesheets/pending", use: pending)
        group.get("/timesheets/{week}", use: show)
        group.post("/timesheets/{week}/submit", use: submit)
        group.post("/timesheets/{week}/approve", use: approve)
        group.post("/timesheets/{week}/reject", use: reject)
    }

    @Sendable func pending(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return JSONResponse.make(["data": try await timesheets.pending(for: principal.subject)])
    }

    /// The caller's sheet, or with `?user=` someone's sheet the caller may approve.
    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let week = try Self.week(context)
        var query = QueryReader(request)
        let user = query.string("user", maxLength: 200) ?? principal.subject
        try query.validate()
        if user != principal.subject {
            let projects = try await timesheets.projects(user: user, week: week)
            guard !projects.isEmpty, try await access.administers(projects, request, principal) else {
                throw APIError.notFound("No timesheet of \(user) for \(week) that you approve.")
            }
        }
        return JSONResponse.make(try await timesheets.sheet(user: user, week: week))
    }

    /// Submit the caller's week; its approvers are the other admins of its projects.
    @Sendable func submit(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let week = try Self.week(context)
        var approvers = Set<String>()
        for key in try await timesheets.projects(user: principal.subject, week: week) {
            let document = try await access.project(key, request, principal, needs: .viewer)
            let admins = document.members(atLeast: .admin).filter { $0 != principal.subject }
            guard !admins.isEmpty else {
                throw APIError(.conflict, code: "no_approver", message: "Nobody else administers \(key) to approve this week; ask for an admin to be added.")
            }
            approvers.formUnion(admins)
        }
        try await timesheets.submit(user: principal.subject, week: week, approvers: approvers.sorted())
        metrics.timesheetsSubmitted.increment()
        return JSONResponse.make(try await timesheets.sheet(user: principal.subject, week: week))
    }

    /// `{user_id}`.
    @Sendable func approve(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try await decide(.approve, request, context)
    }

    /// `{user_id, comment}`: the comment says what to fix.
    @Sendable func reject(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        try await decide(.reject, request, context)
    }

    private func decide(_ action: TimesheetAction, _ request: Request, _ context: FlotillaRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let week = try Self.week(context)
        var body = try await JSONObjectReader(request, context: context)
        let user = body.string("user_id", required: true, length: 1...200)
        let comment = body.string("comment", required: action == .reject, length: 1...2000)
        try body.validate()
        let owner = user.value!
        let projects = try await timesheets.projects(user: owner, week: week)
        let isApprover = owner != principal.subject && !projects.isEmpty ? try await access.administers(projects, request, principal) : false
        try await timesheets.decide(action, user: owner, week: week, approver: principal.subject, isApprover: isApprover, comment: comment.value)
        (action == .approve ? metrics.timesheetsApproved : metrics.timesheetsRejected).increment()
        return JSONResponse.make(try await timesheets.sheet(user: owner, week: week))
    }

    static func week(_ context: FlotillaRequestContext) throws(APIError) -> ISOWeek {
        guard let text = context.parameters.get("week"), let week = ISOWeek(text) else {
            throw APIError.notFound("No week '\((context.parameters.get("week") ?? "").prefix(20))'; weeks are named like 2026-W49.")
        }
        return week
    }
}
