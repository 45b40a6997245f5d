import FlotillaKit
import FlotillaKitTesting
import Foundation
import Logging
import Testing

@Suite("transactional outbox")
struct OutboxTests {
    struct Abort: Error {}

    @Test func eventsExistExactlyWhenTheirTransactionCommits() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = "outbox_" + UUID().uuidString.prefix(8).lowercased()
        #expect(try await Migrator(schema: schema, migrations: Outbox.migrations(startingAt: 1)).migrate(on: pool, logger: Logger(label: "test")) == [1, 2])
        let scoped = try TestDatabase.makePool { $0.schema = schema }
        defer { Task { await scoped.close() } }

        let id = try await scoped.withTransaction { session in
            try await session.recordEvent("habit.created", aggregate: "habit", id: "h1", data: ["name": .string("Read")])
        }
        await #expect(throws: Abort.self) {
            try await scoped.withTransaction { session in
                try await session.recordEvent("habit.deleted", aggregate: "habit", id: "h1", data: [:])
                throw Abort()
            }
        }
        let rows = try await scoped.query("SELECT id::text AS id, event_type, payload->>'name' AS name FROM outbox ORDER BY position").rows
        #expect(rows.count == 1, "the rolled-back event is gone with its transaction")
        #expect(try rows[0].decode("id", as: String.self) == id)
        #expect(try rows[0].decode("event_type", as: String.self) == "habit.created")
        #expect(try rows[0].decode("name", as: String.self) == "Read")
        await #expect(throws: PostgresError.self, "event types are `aggregate.verb`") {
            try await scoped.withTransaction { try await $0.recordEvent("Bad Type", aggregate: "habit", id: "h1", data: [:]) }
        }
    }

    @Test func theMigrationMovesPublishedRowsOutOfTheOutboxAndKeepsTheWaitingOnes() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = "outbox_" + UUID().uuidString.prefix(8).lowercased()
        let migrator = { (migrations: [Migration]) in Migrator(schema: schema, migrations: migrations) }
        try await migrator(Outbox.migrations(startingAt: 1)).migrate(on: pool, logger: Logger(label: "test"))
        let scoped = try TestDatabase.makePool { $0.schema = schema }
        defer { Task { await scoped.close() } }
        // As the relay left them before the move: two published (marked), one waiting.
        let ids = try await scoped.withTransaction { session in
            try await session.recordEvents((0..<3).map { OutboxEvent("habit.created", aggregate: "habit", id: "h\($0)", data: [:]) })
        }
        try await scoped.query("UPDATE outbox SET published_at = now() - interval '1 hour' WHERE id = ANY($1::uuid[])", [Array(ids.prefix(2))])

        let all = Outbox.migrations(startingAt: 1) + [Outbox.publishedEventsMigration(version: 3)]
        #expect(try await migrator(all).migrate(on: pool, logger: Logger(label: "test")) == [3])
        let waiting = try await scoped.query("SELECT id::text AS id FROM outbox").rows
        #expect(try waiting.map { try $0.decode("id", as: String.self) } == [ids[2]], "the waiting event stays to be published")
        let published = try await scoped.query(
            "SELECT id::text AS id, published_at < now() - interval '59 minutes' AS kept_time FROM published_events ORDER BY position").rows
        #expect(try published.map { try $0.decode("id", as: String.self) } == Array(ids.prefix(2)))
        #expect(try published.allSatisfy { try $0.decode("kept_time", as: Bool.self) }, "each keeps the time it was published")
    }
}
