import FlotillaKit

/// Restocks a compensation could not make, kept in PostgreSQL until they succeed.
struct RestockQueue: Sendable {
    let pool: PostgresPool

    /// One line waiting to go back to the catalog.
    struct Pending: Sendable, Equatable {
        let id: Int
        let productID: String
        let quantity: Int
        let attempts: Int
    }

    /// Queue `lines` (of order `orderID`, if one was made) in one statement.
    func enqueue(_ lines: [OrderItem], orderID: String?, error: String) async throws {
        guard !lines.isEmpty else { return }
        try await pool.query(
            """
            INSERT INTO pending_restocks (order_id, product_id, quantity, last_error)
            SELECT $1, product_id, quantity, $4 FROM unnest($2::text[], $3::int8[]) AS line (product_id, quantity)
            """,
            [orderID, lines.map(\.productID), lines.map(\.quantity), String(error.prefix(500))])
    }

    /// Claim up to `limit` due restocks: each is leased for `lease` (another replica skips it
    /// meanwhile) and its attempt counted.
    func claimDue(limit: Int, lease: Duration) async throws -> [Pending] {
        try await pool.query(
            """
            UPDATE pending_restocks SET attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
            WHERE id IN (SELECT id FROM pending_restocks WHERE next_attempt_at <= now() ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, product_id, quantity, attempts
            """,
            [limit, lease.seconds]
        ).rows.map { row in
            Pending(
                id: try row.decode("id", as: Int.self), productID: try row.decode("product_id", as: String.self),
                quantity: try row.decode("quantity", as: Int.self), attempts: try row.decode("attempts", as: Int.self))
        }
    }

    func done(_ id: Int) async throws {
        try await pool.query("DELETE FROM pending_restocks WHERE id = $1", [id])
    }

    /// Try `id` again after `delay`, noting why it failed.
    func retry(_ id: Int, after delay: Duration, error: String) async throws {
        try await pool.query(
            "UPDATE pending_restocks SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1",
            [id, delay.seconds, String(error.prefix(500))])
    }

    /// How many restocks wait.
    func count() async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM pending_restocks").rows[0].decode("n", as: Int.self)
    }
}
