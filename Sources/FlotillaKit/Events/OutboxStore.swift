
/// The relay's statements on the service's `outbox` table.
struct OutboxStore: Sendable {
    let pool: PostgresPool
    let source: String

    /// Outbox rows as published: the envelope, rebuilt from the row.
    static let envelopeColumns = """
        id::text AS id, event_type, event_version, aggregate_type, aggregate_id, actor, payload::text AS payload,
        traceparent, request_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_at
        """

    /// In one transaction: become the only publisher for now (a transaction-scoped advisory
    /// lock, so replicas never interleave and order per aggregate holds), claim up to `limit`
    /// waiting rows in order (`FOR UPDATE SKIP LOCKED`), moving them to `published_events`,
    /// and hand their events to `publish`; the move commits when it returns. Returns how many
    /// were published, or nil when another replica holds the lock. A throw from `publish`
    /// rolls the move back: every row waits again (some may reach the stream twice;
    /// consumers deduplicate by id).
    func publishBatch(limit: Int, _ publish: ([ClaimedEvent]) async throws -> Void) async throws -> Int? {
        try await pool.withTransaction { session in
            // The lock, the claim and the move in one statement: no rows and `leader` false
            // when another replica holds the lock (the claim reads the lock's answer first).
            // The claimed rows are deleted by their `ctid` (locked, so it cannot move): a TID
            // scan. Matching them by `position` let the planner hash-join a sequential scan of
            // the whole outbox, dead rows and all, into every batch.
            let rows = try await session.query(
                """
                WITH lock AS (SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.outbox_relay')) AS leader),
                claimed AS (
                    DELETE FROM outbox WHERE ctid = ANY(ARRAY(
                        SELECT outbox.ctid FROM outbox, lock WHERE lock.leader ORDER BY position LIMIT $1 FOR UPDATE OF outbox SKIP LOCKED
                    )) RETURNING *
                ),
                moved AS (
                    INSERT INTO published_events (id, position, event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id, occurred_at)
                    SELECT id, position, event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id, occurred_at FROM claimed
                )
                SELECT lock.leader, claimed.position, \(Self.envelopeColumns) FROM lock LEFT JOIN claimed ON true
                ORDER BY claimed.position
                """,
                [limit]
            ).rows
            guard try rows[0].decode("leader", as: Bool.self) else { return nil }
            guard try rows[0].decode("position", as: Int?.self) != nil else { return 0 }
            let events = try rows.map(event(from:))
            try await publish(events)
            return events.count
        }
    }

    /// How many rows wait, and the oldest one's age in seconds (0 when none).
    func pending() async throws -> (count: Int, oldestAge: Double) {
        let row = try await pool.query(
            """
            SELECT count(*)::int AS waiting, COALESCE(EXTRACT(EPOCH FROM now() - min(occurred_at)), 0)::float8 AS oldest
            FROM outbox
            """
        ).rows[0]
        return (try row.decode("waiting", as: Int.self), try row.decode("oldest", as: Double.self))
    }

    /// Vacuum the outbox: every row the relay moved out leaves a dead row version and dead
    /// index entries behind, which each claim walks past until they are gone. Skipped when
    /// autovacuum holds the table.
    func vacuum() async throws {
        try await pool.withConnection { try await $0.executeScript("VACUUM (SKIP_LOCKED, INDEX_CLEANUP ON) outbox") }
    }

    /// Whether the relay's role may vacuum the outbox: it owns the table or the database
    /// (itself or through a role it belongs to), or is a superuser. PostgreSQL answers anyone
    /// else's `VACUUM` with a warning, not an error.
    func mayVacuum() async throws -> Bool {
        try await pool.query(
            """
            SELECT pg_has_role(c.relowner, 'USAGE') OR pg_has_role(d.datdba, 'USAGE') AS may
            FROM pg_class c, pg_database d WHERE c.oid = 'outbox'::regclass AND d.datname = current_database()
            """
        ).rows[0].decode("may", as: Bool.self)
    }

    /// Delete events published longer than `retention` ago; how many went.
    @discardableResult
    func prune(olderThan retention: Duration) async throws -> Int {
        try await pool.query(
            "DELETE FROM published_events WHERE published_at < now() - make_interval(secs => $1)", [retention.seconds]
        ).affectedRows
    }

    /// The row's event as the relay publishes it: its envelope's text, the `data` object
    /// copied as PostgreSQL wrote the `jsonb` (valid JSON; the relay has no use for its fields).
    private func event(from row: PostgresRow) throws -> ClaimedEvent {
        let id: String = try row.decode("id"), type: String = try row.decode("event_type")
        let payload = try row.decode("payload", as: String.self)
        let text = EventEnvelope.text(
            id: id, type: type, version: try row.decode("event_version"), occurredAt: try row.decode("occurred_at"), source: source,
            aggregate: .init(type: try row.decode("aggregate_type"), id: try row.decode("aggregate_id")),
            actor: try row.decode("actor", as: String?.self), traceparent: try row.decode("traceparent", as: String?.self),
            requestID: try row.decode("request_id", as: String?.self)) { $0.append(payload) }
        return ClaimedEvent(id: id, type: type, envelope: text)
    }
}

/// An outbox row claimed for publishing: what goes into its stream entry.
struct ClaimedEvent: Sendable {
    let id: String
    let type: String
    /// The envelope's JSON text.
    let envelope: String
}
