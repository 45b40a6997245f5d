/// Domain events recorded in the same transaction as the change they describe (the
/// transactional outbox), so an event exists exactly when its change was committed. The
/// ``OutboxRelay`` publishes unpublished rows to the stream `events:<service>`; consumers
/// deduplicate by `id` (``EventConsumer``).
///
/// Each service keeps the table in its own schema: add ``migrations(startingAt:)`` to the
/// service's migrations and call ``PostgresSession/recordEvent(_:version:aggregate:id:actor:data:)``
/// inside the transaction that makes the change.
public enum Outbox {
    /// The migrations creating the `outbox` table, as versions `version` and `version + 1`
    /// of the service.
    public static func migrations(startingAt version: Int) -> [Migration] {
        [Migration(version: version, name: "create_outbox", sql: tableSQL), Migration(version: version + 1, name: "outbox_envelope", sql: envelopeSQL)]
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
