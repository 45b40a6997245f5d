/// Domain events recorded in the same transaction as the change they describe (the
/// transactional outbox), so an event exists exactly when its change was committed. The
/// ``OutboxRelay`` publishes unpublished rows to the stream `events:<service>`; consumers
/// deduplicate by `id` (``EventConsumer``).
///
/// Each service keeps the table in its own schema: add ``migrations(startingAt:)`` and
/// ``publishedEventsMigration(version:)`` to the service's migrations and call
/// ``PostgresSession/recordEvent(_:version:aggregate:id:actor:data:)`` inside the transaction
/// that makes the change. The outbox holds only events waiting to be published; the relay
/// moves each one it publishes to `published_events`, kept for `EVENTS_OUTBOX_RETENTION_HOURS`;
/// the view `recorded_events` shows both.
public enum Outbox {
    /// The migrations creating the `outbox` table, as versions `version` and `version + 1`
    /// of the service.
    public static func migrations(startingAt version: Int) -> [Migration] {
        [Migration(version: version, name: "create_outbox", sql: tableSQL), Migration(version: version + 1, name: "outbox_envelope", sql: envelopeSQL)]
    }

    /// The migration that moves published events out of the outbox into `published_events`
    /// (docs/adr/016), as version `version` of the service: a version after those of
    /// ``migrations(startingAt:)``.
    public static func publishedEventsMigration(version: Int) -> Migration {
        Migration(version: version, name: "outbox_published_events", sql: publishedEventsSQL)
    }

    /// The `NOTIFY` channel the outbox of `schema` signals on each insert (at commit).
    public static func channel(schema: String) -> String { "outbox_\(schema)" }

    static let tableSQL = """
        -- Domain events waiting to be relayed (transactional outbox).
        CREATE TABLE outbox (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            -- Insertion order, which relays follow (occurred_at is the transaction's start).
            position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
            event_type text NOT NULL CHECK (event_type ~ '^[a-z_]+\\.[a-z_]+$'),
            aggregate_type text NOT NULL,
            aggregate_id text NOT NULL,
            payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
            occurred_at timestamptz NOT NULL DEFAULT now(),
            published_at timestamptz
        );
        CREATE INDEX outbox_unpublished ON outbox (position) WHERE published_at IS NULL;
        """

    static let envelopeSQL = """
        -- The rest of the event envelope, and a NOTIFY at commit that wakes the relay.
        ALTER TABLE outbox
            ADD COLUMN event_version integer NOT NULL DEFAULT 1 CHECK (event_version > 0),
            ADD COLUMN actor text,
            ADD COLUMN traceparent text,
            ADD COLUMN request_id text;
        CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;
        CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, '');
            RETURN NULL;
        END $$;
        CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
        """

    static let publishedEventsSQL = """
        -- Published events leave the outbox for an append-only log: the outbox holds only what
        -- waits, and publishing deletes a row and appends it here instead of updating it (a new
        -- row version and three index entries). The log's only index is a BRIN on published_at,
        -- which is all pruning reads. The view recorded_events shows both: every event this
        -- service recorded and still keeps, published (published_at set) or waiting.
        CREATE TABLE published_events (
            id uuid NOT NULL,
            position bigint NOT NULL,
            event_type text NOT NULL,
            event_version integer NOT NULL,
            aggregate_type text NOT NULL,
            aggregate_id text NOT NULL,
            actor text,
            payload jsonb NOT NULL,
            traceparent text,
            request_id text,
            occurred_at timestamptz NOT NULL,
            published_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX published_events_by_time ON published_events USING brin (published_at) WITH (autosummarize = on);
        INSERT INTO published_events
            SELECT id, position, event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id, occurred_at, published_at
            FROM outbox WHERE published_at IS NOT NULL ORDER BY position;
        DELETE FROM outbox WHERE published_at IS NOT NULL;
        DROP INDEX outbox_unpublished, outbox_published;
        ALTER TABLE outbox DROP COLUMN published_at;
        -- A queue: every row is deleted within moments of its insert. Vacuum it every few
        -- thousand dead rows, unthrottled, so the relay's claim does not wade through them,
        -- and never truncate it (truncation's exclusive lock would stall inserts and the relay).
        ALTER TABLE outbox SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                autovacuum_vacuum_cost_delay = 0, vacuum_truncate = false);
        CREATE VIEW recorded_events AS
            SELECT id, position, event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id, occurred_at,
                   NULL::timestamptz AS published_at
            FROM outbox
            UNION ALL
            SELECT id, position, event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id, occurred_at, published_at
            FROM published_events;
        """
}

extension PostgresSession {
    /// Record event `type` (`habit.checked_in`, shape `version`) about `aggregate` `id`, caused
    /// by `actor`, as part of the current transaction. The request being served (its
    /// `request_id` and trace) is recorded with it. Returns the event's id.
    @discardableResult
    public func recordEvent(
        _ type: String, version: Int = 1, aggregate: String, id: String, actor: String? = nil, data: [String: JSONValue]
    ) async throws -> String {
        try await recordEvents([OutboxEvent(type, version: version, aggregate: aggregate, id: id, actor: actor, data: data)])[0]
    }

    /// Record several events as part of the current transaction, in one statement and in
    /// the given order (the relay publishes them in it). Returns their ids, in that order.
    @discardableResult
    public func recordEvents(_ events: [OutboxEvent]) async throws -> [String] {
        guard !events.isEmpty else { return [] }
        let correlation = RequestCorrelation.current
        let rows = JSONValue.array(events.map { $0.row(correlation: correlation) })
        // jsonb_to_recordset keeps the array's order, and so the identity column's.
        let result = try await query(
            """
            INSERT INTO outbox (event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id)
            SELECT event_type, event_version, aggregate_type, aggregate_id, actor, payload, traceparent, request_id
            FROM jsonb_to_recordset($1) AS e(event_type text, event_version integer, aggregate_type text, aggregate_id text,
                                             actor text, payload jsonb, traceparent text, request_id text)
            RETURNING id::text AS id, position
            """,
            [rows])
        return try result.rows
            .map { (position: try $0.decode("position", as: Int.self), id: try $0.decode("id", as: String.self)) }
            .sorted { $0.position < $1.position }
            .map(\.id)
    }
}
