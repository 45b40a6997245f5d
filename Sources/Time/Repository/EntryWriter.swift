import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every change to time entries. Each runs in a transaction holding a per-person advisory
/// lock, so two concurrent timer starts (or an edit racing a start) are serialised: the
/// running-timer limit and the no-overlap rule hold however requests interleave. An entry
/// that stops is rounded, priced and announced (`time.entry_stopped`).
struct EntryWriter: Sendable {
    let pool: PostgresPool
    let settings: ProjectSettingsStore
    let zones: UserZones
    let maxRunning: Int
    let allowOverlap: Bool
    let clock: @Sendable () -> Date

    /// What a new entry or timer is about.
    struct Draft: Sendable {
        var project: ProjectAccessDocument.ProjectSummary
        var task: String?
        var description: String = ""
        var billable: Bool = true
        var tags: [String] = []
    }

    /// A stopped entry from `start` to `end`.
    func create(_ draft: Draft, user: String, start: Date, end: Date) async throws -> TimeEntry {
        try await locked(user) { session in
            let id = try await insert(draft, user: user, start: start, in: session)
            return try await stop(id, user: user, at: end, in: session)
        }
    }

    /// Start a timer now; beyond the running limit, the oldest running timers stop first.
    func start(_ draft: Draft, user: String) async throws -> (started: TimeEntry, stopped: [TimeEntry]) {
        try await locked(user) { session in
            let now = clock()
            let running = try await EntryStore.running(user: user, in: session)
            var stopped: [TimeEntry] = []
            for entry in running.prefix(max(0, running.count - maxRunning + 1)) {
                stopped.append(try await stop(entry.id, user: user, at: now, in: session))
            }
            let id = try await insert(draft, user: user, start: now, in: session)
            return (try await find(id, user, in: session), stopped)
        }
    }

    /// Stop the newest running timer; 409 `no_timer` when none runs.
    func stopTimer(user: String) async throws -> TimeEntry {
        try await locked(user) { session in
            guard let entry = try await EntryStore.running(user: user, in: session).last else {
                throw APIError(.conflict, code: "no_timer", message: "No timer is running; start one with POST /timers.")
            }
            return try await stop(entry.id, user: user, at: clock(), in: session)
        }
    }

    /// The draft of `user`'s most recent entry (for a restart); 404 when there is none.
    func lastDraft(user: String) async throws -> TimeEntry {
        guard let last = try await pool.query(
            "SELECT \(EntryStore.columns) FROM time_entries e WHERE e.user_id = $1 ORDER BY e.started_at DESC LIMIT 1", [user]
        ).decode(TimeEntry.self).first else { throw APIError.notFound("You have no entry to restart; start a timer with POST /timers.") }
        return last
    }

    /// Apply `change` to `user`'s entry `id`: its old and new weeks must be editable; a stopped
    /// entry is rounded and priced again (a move to another project takes that project's rate).
    func update(_ id: String, user: String, _ change: @escaping @Sendable (inout TimeEntry) throws -> Void) async throws -> TimeEntry {
        try await locked(user) { session in
            guard var entry = try await EntryStore(pool: pool).find(id, user: user, in: session, lock: true) else { throw Self.notFound(id) }
            try await EntryStore.requireEditable(user: user, week: entry.week, in: session)
            try change(&entry)
            let zone = try await zones.zone(of: user, in: session)
            entry.week = ISOWeek(containing: zone.localDate(at: Int64(entry.start.timeIntervalSince1970))).monday
            try await EntryStore.requireEditable(user: user, week: entry.week, in: session)
            try await session.query(
                """
                UPDATE time_entries SET project_id = $3::uuid, project_key = $4, task_ref = $5, description = $6, billable = $7, tags = $8,
                    started_at = $9, week = $10, ended_at = coalesce($11, ended_at), updated_at = now() WHERE id = $1::uuid AND user_id = $2
                """,
                [id, user, entry.projectID, entry.project, entry.task, entry.description, entry.billable, entry.tags, entry.start, entry.week, entry.end])
            guard let end = entry.end else {
                try await requireNoOverlap(user: user, start: entry.start, end: nil, excluding: id, in: session)
                return try await find(id, user, in: session)
            }
            return try await stop(id, user: user, at: end, in: session, announce: false)
        }
    }

    /// Delete `user`'s entry `id` (its week must be editable).
    func delete(_ id: String, user: String) async throws {
        try await locked(user) { session in
            guard let entry = try await EntryStore(pool: pool).find(id, user: user, in: session, lock: true) else { throw Self.notFound(id) }
            try await EntryStore.requireEditable(user: user, week: entry.week, in: session)
            try await session.query("DELETE FROM time_entries WHERE id = $1::uuid", [id])
        }
    }

    // MARK: - Inside the lock

    private func locked<Value: Sendable>(_ user: String, _ body: @escaping @Sendable (PostgresSession) async throws -> Value) async throws -> Value {
        try await pool.withTransaction { session in
            try await EntryStore.lockPerson(user, in: session)
            return try await body(session)
        }
    }

    private func insert(_ draft: Draft, user: String, start: Date, in session: PostgresSession) async throws -> String {
        let zone = try await zones.zone(of: user, in: session)
        let week = ISOWeek(containing: zone.localDate(at: Int64(start.timeIntervalSince1970))).monday
        try await EntryStore.requireEditable(user: user, week: week, in: session)
        try await requireNoOverlap(user: user, start: start, end: nil, excluding: nil, in: session)
        let id = UUID().lowercasedString
        try await session.query(
            """
            INSERT INTO time_entries (id, user_id, project_id, project_key, task_ref, description, billable, tags, started_at, week)
            VALUES ($1, $2, $3::uuid, $4, $5, $6, $7, $8, $9, $10)
            """,
            [id, user, draft.project.id, draft.project.key, draft.task, draft.description, draft.billable, draft.tags, start, week])
        return id
    }

    /// End entry `id` at `end`: check it overlaps nothing, round it, price it, announce it.
    /// The times as worked stay; the rounded ones and their duration are what counts.
    private func stop(_ id: String, user: String, at end: Date, in session: PostgresSession, announce: Bool = true) async throws -> TimeEntry {
        let entry = try await find(id, user, in: session)
        guard end >= entry.start else { throw APIError.invalidField("ended_at", "The end is before the start (\(RFC3339.format(entry.start))).") }
        try await requireNoOverlap(user: user, start: entry.start, end: end, excluding: id, in: session)
        let (rounding, rate) = try await settings.terms(project: entry.projectID, user: user, in: session)
        let zone = try await zones.zone(of: user, in: session)
        let startInstant = Int64(entry.start.timeIntervalSince1970.rounded(.down))
        let (start, stop) = rounding.apply(start: startInstant, end: Int64(end.timeIntervalSince1970.rounded(.up)), offset: zone.secondsFromUTC(at: startInstant))
        let duration = Int(stop - start)
        let (roundedStart, roundedEnd) = (Date(timeIntervalSince1970: TimeInterval(start)), Date(timeIntervalSince1970: TimeInterval(stop)))
        try await session.query(
            """
            UPDATE time_entries SET ended_at = $2, rounded_started_at = $3, rounded_ended_at = $4, duration_seconds = $5, hourly_rate = $6, cost = $7,
                updated_at = now()
            WHERE id = $1::uuid
            """, [id, end, roundedStart, roundedEnd, duration, rate, rate.map { Cost.of(rate: $0, seconds: duration) }])
        let stopped = try await find(id, user, in: session)
        if announce {
            var data: [String: JSONValue] = [
                "entry_id": .string(id), "user_id": .string(user), "project_id": .string(stopped.projectID), "project_key": .string(stopped.project),
                "duration_seconds": .int(duration), "billable": .bool(stopped.billable),
                "started_at": .string(RFC3339.format(roundedStart)), "ended_at": .string(RFC3339.format(roundedEnd)),
            ]
            data["task_ref"] = stopped.task.map(JSONValue.string)
            data["cost"] = stopped.cost.map { .string($0.description) }
            try await session.recordEvent("time.entry_stopped", aggregate: "time_entry", id: id, actor: user, data: data)
        }
        return stopped
    }

    private func requireNoOverlap(user: String, start: Date, end: Date?, excluding: String?, in session: PostgresSession) async throws {
        guard !allowOverlap else { return }
        let clash = try await session.query(
            """
            SELECT e.id::text AS id, e.started_at, e.ended_at FROM time_entries e
            WHERE e.user_id = $1 AND ($4::uuid IS NULL OR e.id <> $4::uuid)
              AND tstzrange(e.started_at, coalesce(e.ended_at, 'infinity')) && tstzrange($2, coalesce($3, 'infinity'::timestamptz))
            ORDER BY e.started_at LIMIT 1
            """, [user, start, end, excluding]
        ).rows.first
        guard let clash else { return }
        let from = RFC3339.format(try clash.decode("started_at", as: Date.self))
        let to = try clash.decode("ended_at", as: Date?.self).map(RFC3339.format) ?? "now (running)"
        throw APIError(
            .conflict, code: "overlap", message: "This overlaps your entry from \(from) to \(to); change one of them.",
            details: ["entry_id": .string(try clash.decode("id", as: String.self))])
    }

    private func find(_ id: String, _ user: String, in session: PostgresSession) async throws -> TimeEntry {
        guard let entry = try await EntryStore(pool: pool).find(id, user: user, in: session) else { throw Self.notFound(id) }
        return entry
    }

    static func notFound(_ id: String) -> APIError {
        APIError.notFound("No time entry '\(id.prefix(40))'.")
    }
}
