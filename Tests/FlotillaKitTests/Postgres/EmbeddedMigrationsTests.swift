import FlotillaKit
import FlotillaKitTesting
import Foundation
import Logging
import Testing

@Suite("Migrations embedded at build time")
struct EmbeddedMigrationsTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Migrations")

    @Test func everySQLFileIsEmbeddedVerbatimInOrder() throws {
        let embedded = EmbeddedMigrations.all
        #expect(embedded.map(\.version) == [1, 2])
        #expect(embedded.map(\.name) == ["create_widgets", "add_widget_color"])
        for migration in embedded {
            let name = String(format: "%04d_%@.sql", migration.version, migration.name)
            let onDisk = try String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
            #expect(migration.sql == onDisk)
        }
    }

    @Test func embeddedMigrationsApply() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let schema = "e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let applied = try await Migrator(schema: schema, migrations: EmbeddedMigrations.all).migrate(on: pool, logger: Logger(configuration: .testing()))
        #expect(applied == [1, 2])
        let row = try await pool.query("INSERT INTO \(schema).widgets (color) VALUES ('red') RETURNING label, color").rows[0]
        #expect(try row.decode("label", as: String.self) == ##"say "hi" """ "#"##)
    }
}
