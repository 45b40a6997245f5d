/// Domain events recorded in the same transaction as the change they describe (the
/// transactional outbox), so an event exists exactly when its change was committed. A relay
/// publishes unpublished rows to a Redis Stream and marks them; consumers deduplicate by `id`.
///
/// Each service keeps the table in its own schema; add ``migration(version:)`` to the
/// service's migrations and call ``PostgresSession/recordEvent(_:aggregate:id:payload:)``
/// inside the transaction that makes the change.
public enum Outbox {
    /// The migration creating the `outbox` table, as version `version` of the service.
    public static func migration(version: Int) -> Migration {
        Migration(version: version, name: "create_outbox", sql: tableSQL)
    }

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
}

extension PostgresSession {
    /// Record event `type` (`habit.checked_in`) about `aggregate` `id` with `payload`, as part
    /// of the current transaction. Returns the event's id.
    @discardableResult
    public func recordEvent(_ type: String, aggregate: String, id: String, payload: [String: JSONValue]) async throws -> String {
        let rows = try await query(
            "INSERT INTO outbox (event_type, aggregate_type, aggregate_id, payload) VALUES ($1, $2, $3, $4) RETURNING id::text AS id",
            [type, aggregate, id, PostgresJSON(payload)])
        return try rows.rows[0].decode("id", as: String.self)
    }
}
