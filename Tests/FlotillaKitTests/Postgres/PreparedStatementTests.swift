@testable import FlotillaKit
import FlotillaKitTesting
import Synchronization
import Testing

/// Each connection prepares queries and DML once and runs them by name after that.
@Suite("Prepared statements")
struct PreparedStatementTests {
    /// The statements prepared on the session's own connection, by their text.
    func prepared(_ session: PostgresSession) async throws -> [String] {
        try await session.query("SELECT statement FROM pg_prepared_statements ORDER BY prepare_time, name").rows.map { try $0.decode("statement") }
    }

    @Test func aStatementIsPreparedOnceAndRunByName() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let sql = "SELECT $1::int8 + 1 AS next"
        try await pool.withConnection { session in
            for value in [1, 2, 3] {
                let next = try await session.query(sql, [value]).rows[0].decode("next", as: Int.self)
                #expect(next == value + 1)
            }
            let statements = try await prepared(session)
            #expect(statements.filter { $0 == sql }.count == 1, "prepared once, then a hit: \(statements)")
        }
    }

    @Test func theLeastRecentlyUsedIsEvictedAtTheBound() async throws {
        let pool = try TestDatabase.makePool {
            $0.maxConnections = 1
            $0.statementCacheSize = 2
        }
        defer { Task { await pool.close() } }
        try await pool.withConnection { session in
            try await session.query("SELECT 1 AS a")
            try await session.query("SELECT 2 AS b")
            try await session.query("SELECT 1 AS a")  // used again: b is now the oldest
            try await session.query("SELECT 3 AS c")
            // The inspection itself is a query, prepared too (evicting the oldest of a and c).
            let statements = Set(try await prepared(session))
            #expect(!statements.contains("SELECT 2 AS b"), "the least recently used went: \(statements)")
            #expect(statements.count == 2, "never more than the bound: \(statements)")
            #expect(statements.contains("SELECT 3 AS c"))
        }
    }

    @Test func noneArePreparedWhenTheCacheIsOff() async throws {
        let pool = try TestDatabase.makePool {
            $0.maxConnections = 1
            $0.statementCacheSize = 0
        }
        defer { Task { await pool.close() } }
        try await pool.withConnection { session in
            let value = try await session.query("SELECT $1::text AS v", ["x"]).rows[0].decode("v", as: String.self)
            let statements = try await prepared(session)
            #expect(value == "x")
            #expect(statements.isEmpty)
        }
    }

    @Test func transactionControlAndDDLAreNotPrepared() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.withTransaction { session in
            try await session.query("CREATE TABLE \(schema).kept (id int)")
            try await session.query("SET LOCAL statement_timeout = 5000")
            let statements = try await prepared(session)
            #expect(statements.allSatisfy { $0.hasPrefix("SELECT") }, "\(statements)")
        }
        try await pool.query("DROP SCHEMA \(schema) CASCADE")
    }

    @Test func aSchemaChangeIsAnsweredByPreparingAgain() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).things (id int PRIMARY KEY)")
        try await pool.query("INSERT INTO \(schema).things VALUES (1)")
        let select = "SELECT * FROM \(schema).things ORDER BY id"
        #expect(try await pool.query(select).rows[0].decode("id", as: Int.self) == 1)
        // The cached plan's result type no longer holds: PostgreSQL refuses to run it as is.
        try await pool.query("ALTER TABLE \(schema).things ADD COLUMN name text NOT NULL DEFAULT 'first'")
        let rows = try await pool.query(select).rows
        #expect(try rows[0].decode("name", as: String.self) == "first")

        // Inside a transaction the statement fails once (a transaction cannot go on after an
        // error) as a retryable failure, and is prepared afresh: the retry runs.
        try await pool.query("ALTER TABLE \(schema).things ADD COLUMN size int NOT NULL DEFAULT 7")
        let attempts = Counter()
        let size = try await pool.withRetryingTransaction(isolation: .readCommitted) { session in
            attempts.add()
            return try await session.query(select).rows[0].decode("size", as: Int.self)
        }
        #expect(size == 7)
        #expect(attempts.value == 2)
        try await pool.query("DROP SCHEMA \(schema) CASCADE")
    }

    @Test func aStatementThatFailsToPrepareIsNotKept() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let sql = "SELECT no_such_column FROM pg_class"
        for _ in 0..<2 {
            let error = await #expect(throws: PostgresError.self) { try await pool.query(sql) }
            #expect(error?.sqlState == "42703")
        }
        let statements = try await pool.withConnection { session in try await prepared(session) }
        #expect(!statements.contains(sql))
    }

    @Test(arguments: [
        ("SELECT 1", true), ("  \n select 1", true), ("WITH x AS (SELECT 1) SELECT * FROM x", true), ("INSERT INTO t VALUES (1)", true),
        ("UPDATE t SET a = 1", true), ("DELETE FROM t", true), ("BEGIN ISOLATION LEVEL READ COMMITTED", false), ("COMMIT", false),
        ("SET LOCAL x = 1", false), ("CREATE TABLE t (a int)", false), ("DROP SCHEMA s CASCADE", false), ("", false),
    ])
    func whichStatementsArePrepared(sql: String, preparable: Bool) {
        #expect(PreparedStatementCache.isPreparable(sql) == preparable)
    }
}

/// A count shared with a transaction body.
private final class Counter: Sendable {
    private let storage = Mutex(0)
    func add() { storage.withLock { $0 += 1 } }
    var value: Int { storage.withLock { $0 } }
}
