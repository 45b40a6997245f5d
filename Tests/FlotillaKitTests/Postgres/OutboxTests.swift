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
        let rows = try await scoped.query("SELECT id::text AS id, event_type, payload->>'name' AS name, published_at FROM outbox ORDER BY position").rows
        #expect(rows.count == 1, "the rolled-back event is gone with its transaction")
        #expect(try rows[0].decode("id", as: String.self) == id)
        #expect(try rows[0].decode("event_type", as: String.self) == "habit.created")
        #expect(try rows[0].decode("name", as: String.self) == "Read")
        #expect(try rows[0].decode("published_at", as: String?.self) == nil)
        await #expect(throws: PostgresError.self, "event types are `aggregate.verb`") {
            try await scoped.withTransaction { try await $0.recordEvent("Bad Type", aggregate: "habit", id: "h1", data: [:]) }
        }
    }
}
