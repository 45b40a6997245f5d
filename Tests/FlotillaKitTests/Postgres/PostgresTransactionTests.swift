import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@Suite("PostgreSQL transactions and errors")
struct PostgresTransactionTests {
    struct Rollback: Error {}

    func makeTable(_ pool: PostgresPool) async throws -> String {
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).items (id int PRIMARY KEY, name text NOT NULL, qty int CHECK (qty >= 0))")
        return "\(schema).items"
    }

    func count(_ pool: PostgresPool, _ table: String) async throws -> Int {
        try await pool.query("SELECT count(*) AS n FROM \(table)").rows[0].decode("n", as: Int.self)
    }

    @Test func commitsWhenTheBodyReturns() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let table = try await makeTable(pool)
        try await pool.withTransaction { tx in
            try await tx.query("INSERT INTO \(table) VALUES (1, 'a', 1)")
            try await tx.query("INSERT INTO \(table) VALUES (2, 'b', 1)")
        }
        #expect(try await count(pool, table) == 2)
    }

    @Test func afterCommitActionsSeeTheCommittedRowsAndNeverRunOnRollback() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let table = try await makeTable(pool)
        let seen = Mutex<[Int]>([])
        try await pool.withTransaction { tx in
            try await tx.query("INSERT INTO \(table) VALUES (1, 'a', 1)")
            await tx.afterCommit {
                // Another connection: the row is visible only once committed.
                let rows = (try? await self.count(pool, table)) ?? -1
                seen.withLock { $0.append(rows) }
            }
            #expect(seen.withLock { $0 }.isEmpty, "not before the commit")
        }
        #expect(seen.withLock { $0 } == [1])
        await #expect(throws: Rollback.self) {
            try await pool.withTransaction { tx in
                await tx.afterCommit { seen.withLock { $0.append(-99) } }
                throw Rollback()
            }
        }
        try await pool.withConnection { session in
            await session.afterCommit { seen.withLock { $0.append(2) } }
        }
        #expect(seen.withLock { $0 } == [1, 2], "never after a rollback; at once outside a transaction")
    }

    @Test func rollsBackWhenTheBodyThrows() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let table = try await makeTable(pool)
        await #expect(throws: Rollback.self) {
            try await pool.withTransaction { tx in
                try await tx.query("INSERT INTO \(table) VALUES (1, 'a', 1)")
                throw Rollback()
            }
        }
        #expect(try await count(pool, table) == 0)
    }

    @Test func rollsBackWhenTheTaskIsCancelled() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let table = try await makeTable(pool)
        let marker = "rollback_\(Int.random(in: 1...1_000_000))"
        let work = Task {
            try await pool.withTransaction { tx in
                try await tx.query("INSERT INTO \(table) VALUES (1, 'a', 1)")
                try await tx.query("SELECT pg_sleep(600) AS \(marker)")
            }
        }
        try await waitUntil("the transaction's second statement is running") { try await TestDatabase.isRunning(marker, seenFrom: pool) }
        work.cancel()
        let outcome = await work.result
        #expect(throws: PostgresError.self) { try outcome.get() }
        #expect(try await count(pool, table) == 0)
    }

    @Test func constraintViolationsAreTypedAndMapped() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let table = try await makeTable(pool)
        try await pool.query("INSERT INTO \(table) VALUES (1, 'a', 1)")

        let duplicate = await #expect(throws: PostgresError.self) { try await pool.query("INSERT INTO \(table) VALUES (1, 'b', 1)") }
        #expect(duplicate?.sqlState == "23505")
        #expect(duplicate?.constraint == "items_pkey")
        #expect(duplicate?.apiError.status == .conflict)
        #expect(duplicate?.apiError.code == "conflict")

        let missing = await #expect(throws: PostgresError.self) { try await pool.query("INSERT INTO \(table) (id, qty) VALUES (2, 1)") }
        #expect(missing?.sqlState == "23502")
        #expect(missing?.apiError.status == .badRequest)
        #expect(missing?.apiError.details?["field"] == "name")

        let negative = await #expect(throws: PostgresError.self) { try await pool.query("INSERT INTO \(table) VALUES (3, 'c', -1)") }
        #expect(negative?.sqlState == "23514")
        #expect(negative?.apiError.status == .unprocessableContent)

        let schema = table.split(separator: ".")[0]
        try await pool.query("CREATE TABLE \(schema).orders (id int PRIMARY KEY, item int REFERENCES \(table)(id))")
        let dangling = await #expect(throws: PostgresError.self) { try await pool.query("INSERT INTO \(schema).orders VALUES (1, 99)") }
        #expect(dangling?.sqlState == "23503")
        #expect(dangling?.apiError.code == "invalid_reference")

        let syntax = await #expect(throws: PostgresError.self) { try await pool.query("SELEKT 1") }
        #expect(syntax?.sqlState == "42601")
        #expect(syntax?.apiError.status == .internalServerError)
    }

    @Test func serializationFailuresAreRetried() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 4 }
        defer { Task { await pool.close() } }
        let schema = try await TestDatabase.makeSchema(in: pool)
        try await pool.query("CREATE TABLE \(schema).counter (id int PRIMARY KEY, value int)")
        try await pool.query("INSERT INTO \(schema).counter VALUES (1, 0)")
        // Concurrent read-modify-write under SERIALIZABLE: conflicts are retried, no update is lost.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await pool.withRetryingTransaction(maxAttempts: 20) { tx in
                        let value = try await tx.query("SELECT value FROM \(schema).counter WHERE id = 1").rows[0].decode("value", as: Int.self)
                        try await tx.query("SELECT pg_sleep(0.02)")
                        try await tx.query("UPDATE \(schema).counter SET value = $1 WHERE id = 1", [value + 1])
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await pool.query("SELECT value FROM \(schema).counter").rows[0].decode("value", as: Int.self)
        #expect(final == 4)
    }

    @Test func errorEnvelopeAnswersDatabaseErrors() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let table = try await makeTable(pool)
        try await pool.query("INSERT INTO \(table) VALUES (1, 'a', 1)")
        let app = KitTestApplication(routes: { router in
            router.post("/items") { _, _ -> String in
                try await pool.query("INSERT INTO \(table) VALUES (1, 'dup', 1)")
                return "created"
            }
        })
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/items", method: .post) { response in
                #expect(response.status == .conflict)
                #expect(String(buffer: response.body).contains(#""error":"conflict""#))
            }
        }
    }
}
