/// The consumer side's record of events already handled, in the consuming service's own
/// schema: the handler's transaction inserts the event's id, so a second delivery of the same
/// event finds it and is skipped inside the same transaction (exactly-once effect on the
/// service's data, over at-least-once delivery).
public enum ProcessedEvents {
    /// The migration creating `processed_events`, as version `version` of the service.
    public static func migration(version: Int) -> Migration {
        Migration(version: version, name: "create_processed_events", sql: """
            -- Events this service's consumer has handled (idempotency across redeliveries).
            CREATE TABLE processed_events (
                event_id uuid PRIMARY KEY,
                event_type text NOT NULL,
                stream text NOT NULL,
                entry_id text NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now()
            );
            CREATE INDEX processed_events_by_stream ON processed_events (stream, processed_at);
            """)
    }
}

extension PostgresSession {
    /// Mark `envelope` handled in the current transaction; false when it already was.
    func markProcessed(_ envelope: EventEnvelope, stream: String, entryID: String) async throws -> Bool {
        try await !query(
            """
            INSERT INTO processed_events (event_id, event_type, stream, entry_id) VALUES ($1::uuid, $2, $3, $4)
            ON CONFLICT (event_id) DO NOTHING RETURNING 1 AS inserted
            """,
            [envelope.id, envelope.type, stream, entryID]
        ).rows.isEmpty
    }

    /// Mark a batch handled in the current transaction in one statement, which fails (a
    /// unique violation, and the transaction with it) when any of them already was, or one
    /// event is in the batch twice: the caller then handles them one by one, skipping
    /// duplicates. A plain insert, because duplicates are rare and `ON CONFLICT` costs every
    /// row a look-up of its key before the insert (docs/adr/016).
    func markAllProcessed(_ batch: [(envelope: EventEnvelope, stream: String, entryID: String)]) async throws {
        try await query(
            """
            INSERT INTO processed_events (event_id, event_type, stream, entry_id)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])
            """,
            [batch.map(\.envelope.id), batch.map(\.envelope.type), batch.map(\.stream), batch.map(\.entryID)])
    }
}

extension PostgresPool {
    /// Forget the events of `streams` handled longer than `retention` ago, in statements of at
    /// most 10,000 rows (rows another replica is deleting are skipped); how many went. A
    /// redelivery older than the retention would run its handler again: keep it well past how
    /// long an entry can wait (pending, dead-lettered then replayed).
    func pruneProcessedEvents(of streams: [String], olderThan retention: Duration) async throws -> Int {
        let batch = 10_000
        var pruned = 0
        while true {
            let deleted = try await query(
                """
                DELETE FROM processed_events WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM processed_events
                    WHERE stream = ANY($1::text[]) AND processed_at < now() - make_interval(secs => $2)
                    LIMIT $3 FOR UPDATE SKIP LOCKED
                ))
                """,
                [streams, retention.seconds, batch]
            ).affectedRows
            pruned += deleted
            if deleted < batch { return pruned }
        }
    }
}
