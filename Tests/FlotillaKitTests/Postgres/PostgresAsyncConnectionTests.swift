import FlotillaKit
import FlotillaKitTesting
import Testing

/// Statements sent without blocking a thread and answered through the reactor: whatever
/// happens to a statement, its connection comes back clean or is discarded.
@Suite("PostgreSQL connections without a blocked thread")
struct PostgresAsyncConnectionTests {
    func backend(_ session: PostgresSession) async throws -> Int {
        try await session.query("SELECT pg_backend_pid() AS pid").rows[0].decode("pid", as: Int.self)
    }

    func isRunning(_ marker: String, _ pool: PostgresPool) async throws -> Bool {
        try await TestDatabase.isRunning(marker, seenFrom: pool)
    }

    /// Whether the session's statements each run in a transaction of their own (none was
    /// left open): two in a row get different transaction ids.
    func isOutsideATransaction(_ session: PostgresSession) async throws -> Bool {
        let sql = "SELECT txid_current()::text AS id"
        return try await session.query(sql).rows[0].decode("id", as: String.self) != session.query(sql).rows[0].decode("id", as: String.self)
    }

    @Test func aSessionTheServerEndsMidQueryIsLostThenReplaced() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        let admin = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close(); await admin.close() } }
        let marker = "terminated_\(Int.random(in: 1...1_000_000))"
        let first = try await pool.withConnection { try await backend($0) }
        let work = Task { try await pool.query("SELECT pg_sleep(600) AS \(marker)") }
        try await waitUntil("the query is running on the server") { try await isRunning(marker, admin) }
        try await admin.query("SELECT pg_terminate_backend($1::int)", [first])

        let error = await #expect(throws: PostgresError.self) { try await work.value }
        #expect(error?.kind == .connectionLost)
        #expect(error?.apiError.code == "database_unavailable")
        let next = try await pool.withConnection { try await backend($0) }
        #expect(next != first, "the lost connection was discarded, not lent again")
    }

    @Test func aCancelledTransactionLeavesNothingBehindOnItsConnection() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).items (id int PRIMARY KEY)")
        let marker = "cancelled_\(Int.random(in: 1...1_000_000))"
        let work = Task {
            try await pool.withTransaction { tx in
                try await tx.query("INSERT INTO \(schema).items VALUES (1)")
                try await tx.query("SELECT pg_sleep(600) AS \(marker)")
            }
        }
        let watcher = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await watcher.close() } }
        try await waitUntil("the query is running on the server") { try await isRunning(marker, watcher) }
        work.cancel()
        _ = await work.result
        let (clean, kept) = try await pool.withConnection { session in
            (try await isOutsideATransaction(session), try await session.query("SELECT count(*) AS n FROM \(schema).items").rows[0].decode("n", as: Int.self))
        }
        #expect(clean, "no transaction left open on the pool's only connection")
        #expect(kept == 0)
    }

    @Test func aTaskCancelledBeforeItsStatementSendsNothing() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).items (id int PRIMARY KEY)")
        let (gate, open) = AsyncStream<Void>.makeStream()
        let work = Task {
            for await _ in gate { break }  // ends at once when the task is cancelled
            try await pool.withTransaction { tx in
                try await tx.query("INSERT INTO \(schema).items VALUES (1)")
            }
        }
        work.cancel()
        open.yield()
        await #expect(throws: CancellationError.self) { try await work.value }
        #expect(try await pool.query("SELECT count(*) AS n FROM \(schema).items").rows[0].decode("n", as: Int.self) == 0)
    }

    @Test func aTimedOutStatementInATransactionLeavesItsConnectionClean() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { tx in
                try await tx.query("SELECT pg_sleep(600)", timeout: .milliseconds(200))
            }
        }
        #expect(error?.kind == .queryTimeout)
        #expect(try await pool.withConnection { try await isOutsideATransaction($0) })
    }

    @Test func largeParametersAndResultsCrossTheSocketInPieces() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        // Far beyond a socket's buffers both ways: the send is finished when the socket can
        // take more, the answer read as it arrives.
        let text = String(repeating: "flotilla-", count: 2_000_000)
        let echoed = try await pool.query("SELECT length($1::text) AS n, $1::text AS same", [text]).rows[0]
        #expect(try echoed.decode("n", as: Int.self) == text.utf8.count)
        #expect(try echoed.decode("same", as: String.self) == text)
        let rows = try await pool.query("SELECT g AS n, repeat('x', 100) AS filler FROM generate_series(1, 100000) AS g").rows
        #expect(rows.count == 100_000)
        #expect(try rows.last?.decode("n", as: Int.self) == 100_000)
    }

    @Test func manyStatementsInFlightEachGetTheirOwnAnswer() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 16 }
        defer { Task { await pool.close() } }
        let answers = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for value in 0..<200 {
                group.addTask {
                    let row = try await pool.query("SELECT $1::int * 2 AS v, pg_sleep(random() * 0.02)", [value]).rows[0]
                    return (value, try row.decode("v", as: Int.self))
                }
            }
            return try await group.reduce(into: [(Int, Int)]()) { $0.append($1) }
        }
        #expect(answers.count == 200)
        #expect(answers.allSatisfy { $0.1 == $0.0 * 2 })
    }
}
