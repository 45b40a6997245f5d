import FlotillaKit
import FlotillaKitTesting
import Foundation
import Logging
import Testing

@Suite("Migrations")
struct MigratorTests {
    static let migrations = [
        Migration(version: 1, name: "create_products", sql: """
            CREATE TABLE products (id text PRIMARY KEY, price numeric(12,2) NOT NULL);
            CREATE INDEX products_price ON products (price);
            """),
        Migration(version: 2, name: "add_stock", sql: "ALTER TABLE products ADD COLUMN stock int NOT NULL DEFAULT 0 CHECK (stock >= 0);"),
    ]

    let logger = Logger(configuration: .testing())

    func uniqueSchema() -> String {
        "m_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
    }

    @Test func appliesFreshThenIsIdempotent() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let migrator = Migrator(schema: uniqueSchema(), migrations: Self.migrations)
        #expect(try await migrator.migrate(on: pool, logger: logger) == [1, 2])
        #expect(try await migrator.migrate(on: pool, logger: logger) == [])
        let applied = try await migrator.appliedVersions(on: pool)
        #expect(applied == [1: Self.migrations[0].checksum, 2: Self.migrations[1].checksum])
        try await pool.query("INSERT INTO \(migrator.schema).products (id, price, stock) VALUES ('p1', 9.99, 3)")
    }

    @Test func laterMigrationsApplyOnTopOfEarlierOnes() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = uniqueSchema()
        #expect(try await Migrator(schema: schema, migrations: [Self.migrations[0]]).migrate(on: pool, logger: logger) == [1])
        #expect(try await Migrator(schema: schema, migrations: Self.migrations).migrate(on: pool, logger: logger) == [2])
    }

    @Test func concurrentRunnersApplyEachMigrationOnce() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 6 }
        defer { Task { await pool.close() } }
        let migrator = Migrator(schema: uniqueSchema(), migrations: Self.migrations)
        let results = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 { group.addTask { try await migrator.migrate(on: pool, logger: logger) } }
            return try await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(results.flatMap { $0 }.sorted() == [1, 2])
        #expect(results.filter { !$0.isEmpty }.count == 1)
    }

    @Test func aChangedAppliedMigrationIsRefused() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = uniqueSchema()
        try await Migrator(schema: schema, migrations: Self.migrations).migrate(on: pool, logger: logger)
        var edited = Self.migrations
        edited[0] = Migration(version: 1, name: "create_products", sql: edited[0].sql + "\n-- edited")
        let error = await #expect(throws: MigrationError.self) {
            try await Migrator(schema: schema, migrations: edited + [Migration(version: 3, name: "more", sql: "SELECT 1")]).migrate(on: pool, logger: logger)
        }
        guard case .checksumMismatch(let version, _, _, _)? = error else {
            Issue.record("expected a checksum mismatch, got \(String(describing: error))")
            return
        }
        #expect(version == 1)
        // Nothing after the refusal was applied.
        #expect(try await Migrator(schema: schema, migrations: Self.migrations).appliedVersions(on: pool).keys.sorted() == [1, 2])
    }

    @Test func aFailingMigrationLeavesNothingHalfDone() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = uniqueSchema()
        let broken = Self.migrations + [Migration(version: 3, name: "broken", sql: "CREATE TABLE half (id int); SELECT no_such_function();")]
        await #expect(throws: PostgresError.self) { try await Migrator(schema: schema, migrations: broken).migrate(on: pool, logger: logger) }
        #expect(try await Migrator(schema: schema, migrations: broken).appliedVersions(on: pool).keys.sorted() == [1, 2])
        let half = try await pool.query("SELECT to_regclass($1) IS NOT NULL AS present", ["\(schema).half"])
        #expect(try half.rows[0].decode("present", as: Bool.self) == false)
    }

    @Test func migrationFileNamesAreParsed() {
        #expect(Migration(fileName: "0007_add_index.sql", sql: "x") == Migration(version: 7, name: "add_index", sql: "x"))
        #expect(Migration(fileName: "add_index.sql", sql: "x") == nil)
        #expect(Migration(fileName: "0007_add_index.txt", sql: "x") == nil)
        #expect(Migration(version: 1, name: "a", sql: "x").checksum != Migration(version: 1, name: "a", sql: "y").checksum)
    }

    @Test func duplicateVersionsAreRejected() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let twice = [Self.migrations[0], Migration(version: 1, name: "again", sql: "SELECT 1")]
        await #expect(throws: MigrationError.duplicateVersion(1)) { try await Migrator(schema: uniqueSchema(), migrations: twice).migrate(on: pool, logger: logger) }
    }
}
