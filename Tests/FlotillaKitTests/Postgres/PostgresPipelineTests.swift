@testable import FlotillaKit
import FlotillaKitTesting
import Synchronization
import Testing

/// Several statements in one round trip (libpq pipeline mode), and a transaction's BEGIN
/// sent with its first statement.
@Suite("PostgreSQL pipelines")
struct PostgresPipelineTests {
    @Test func anErrorFailsOnlyItsOwnStatement() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).notes (id int PRIMARY KEY)")
        let results = try await pool.withConnection { session in
            try await session.pipeline([
                PostgresStatement("INSERT INTO \(schema).notes VALUES ($1)", [1]),
                PostgresStatement("SELECT 1 / $1::int AS broken", [0]),
                PostgresStatement("INSERT INTO \(schema).notes VALUES ($1)", [1]),
                PostgresStatement("INSERT INTO \(schema).notes VALUES ($1)", [2]),
                PostgresStatement("SELECT count(*)::int AS n FROM \(schema).notes"),
            ])
        }
        #expect(results.count == 5)
        #expect(try results[0].get().affectedRows == 1)
        #expect(results[1].failure?.sqlState == "22012", "division by zero: \(String(describing: results[1].failure))")
        #expect(results[2].failure?.sqlState == "23505", "a duplicate id, refused on its own")
        #expect(try results[3].get().affectedRows == 1, "the statements after the errors still ran")
        #expect(try results[4].get().rows[0].decode("n", as: Int.self) == 2)
        // The connection is out of pipeline mode and reusable.
        #expect(try await pool.query("SELECT 7 AS seven").rows[0].decode("seven", as: Int.self) == 7)
        try await pool.query("DROP SCHEMA \(schema) CASCADE")
    }

    @Test func insideATransactionAnErrorAbortsTheRestAndNothingIsKept() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).notes (id int PRIMARY KEY)")
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await pool.withTransaction { session in
                let results = try await session.pipeline([
                    PostgresStatement("INSERT INTO \(schema).notes VALUES (1)"),
                    PostgresStatement("SELECT 1 / 0 AS broken"),
                    PostgresStatement("INSERT INTO \(schema).notes VALUES (2)"),
                ])
                #expect((try? results[0].get()) != nil)
                #expect(results[1].failure?.sqlState == "22012")
                #expect(results[2].failure?.sqlState == "25P02", "the transaction is aborted: \(String(describing: results[2].failure))")
                throw Refused()
            }
        }
        #expect(try await pool.query("SELECT count(*)::int AS n FROM \(schema).notes").rows[0].decode("n", as: Int.self) == 0)
        try await pool.query("DROP SCHEMA \(schema) CASCADE")
    }

    @Test func aStaleStatementIsPreparedAgainAndRunNotAnError() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).things (id int PRIMARY KEY)")
        try await pool.query("INSERT INTO \(schema).things VALUES (1)")
        let select = PostgresStatement("SELECT * FROM \(schema).things ORDER BY id")
        let count = PostgresStatement("SELECT count(*)::int AS n FROM \(schema).things")
        _ = try await pool.withConnection { try await $0.pipeline([select, count]) }
        try await pool.query("ALTER TABLE \(schema).things ADD COLUMN name text NOT NULL DEFAULT 'first'")
        let results = try await pool.withConnection { try await $0.pipeline([select, count]) }
        #expect(try results[0].get().rows[0].decode("name", as: String.self) == "first")
        #expect(try results[1].get().rows[0].decode("n", as: Int.self) == 1)
        try await pool.query("DROP SCHEMA \(schema) CASCADE")
    }

    @Test func statementsEvictedAtTheCacheBoundStillRun() async throws {
        let pool = try TestDatabase.makePool {
            $0.maxConnections = 1
            $0.statementCacheSize = 1
        }
        defer { Task { await pool.close() } }
        let results = try await pool.withConnection { session in
            try await session.pipeline((1...4).map { PostgresStatement("SELECT $1::int + \($0) AS v", [10]) })
        }
        #expect(try results.map { try $0.get().rows[0].decode("v", as: Int.self) } == [11, 12, 13, 14])
        let prepared = try await pool.query("SELECT count(*)::int AS n FROM pg_prepared_statements").rows[0].decode("n", as: Int.self)
        #expect(prepared == 1, "the evicted were deallocated after the pipeline")
    }

    @Test func aNulParameterSendsNothing() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try await $0.pipeline([PostgresStatement("SELECT 1 AS one"), PostgresStatement("SELECT $1::text AS t", ["a\u{0}b"])]) }
        }
        #expect(error?.kind == .nulInParameter)
        #expect(try await pool.query("SELECT 1 AS one").rows[0].decode("one", as: Int.self) == 1)
    }

    @Test func aTimeoutCancelsThePipelineOnTheServer() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { session in
                try await session.pipeline([PostgresStatement("SELECT 1 AS one"), PostgresStatement("SELECT pg_sleep(60)")], timeout: .milliseconds(300))
            }
        }
        #expect(error?.kind == .queryTimeout)
        // The pool's one connection answers next: nothing was left running on it.
        #expect(try await pool.query("SELECT 2 AS two").rows[0].decode("two", as: Int.self) == 2)
    }
}

/// A transaction's BEGIN goes out with its first statement, and a transaction that runs none
/// sends nothing.
@Suite("PostgreSQL transactions: BEGIN with the first statement")
struct PostgresLazyBeginTests {
    @Test func theFirstStatementRunsInsideTheTransactionAtItsIsolationLevel() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let level = try await pool.withTransaction(isolation: .serializable) { session in
            try await session.query("SELECT current_setting('transaction_isolation') AS level").rows[0].decode("level", as: String.self)
        }
        #expect(level == "serializable")
        let levels = try await pool.withTransaction(isolation: .repeatableRead) { session in
            try await session.pipeline([PostgresStatement("SELECT current_setting('transaction_isolation') AS level")])
        }
        #expect(try levels[0].get().rows[0].decode("level", as: String.self) == "repeatable read")
    }

    /// Round trips the pool made (each is one `db_queries_total` observation).
    func roundTrips(_ metrics: MetricsRegistry) throws -> Int {
        let line = try #require(metrics.exposition().split(separator: "\n").first { $0.hasPrefix(#"db_queries_total{outcome="ok"}"#) })
        return try #require(Int(line.split(separator: " ").last ?? ""))
    }

    @Test func aTransactionTakesOneRoundTripFewerAndOneWithoutStatementsNone() async throws {
        let metrics = MetricsRegistry(service: "test", version: "0")
        let pool = try TestDatabase.makePool(metrics: metrics) { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let before = try roundTrips(metrics)
        let one = try await pool.withTransaction { session in try await session.query("SELECT 1 AS one").rows[0].decode("one", as: Int.self) }
        #expect(one == 1)
        #expect(try roundTrips(metrics) - before == 2, "BEGIN with the SELECT, then COMMIT")

        let idle = try roundTrips(metrics)
        let ran = try await pool.withTransaction { session in
            let flag = Flag()
            await session.afterCommit { flag.set() }
            return flag
        }
        #expect(ran.isSet, "commit actions run")
        #expect(try roundTrips(metrics) == idle, "nothing was sent")
    }

    @Test func aFirstStatementThatFailsRollsTheTransactionBack() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { session in try await session.query("SELECT 1 / 0 AS broken") }
        }
        #expect(error?.sqlState == "22012")
        let status = try await pool.query("SELECT 1 AS one")  // the connection is back outside any transaction
        #expect(try status.rows[0].decode("one", as: Int.self) == 1)
    }
}

private final class Flag: Sendable {
    private let storage = Synchronization.Mutex(false)
    func set() { storage.withLock { $0 = true } }
    var isSet: Bool { storage.withLock { $0 } }
}

extension Result {
    /// The error, or nil on success.
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
