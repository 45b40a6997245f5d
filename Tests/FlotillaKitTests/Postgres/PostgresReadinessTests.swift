import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("PostgreSQL in the ops contract")
struct PostgresReadinessTests {
    static let migrations = [Migration(version: 1, name: "create_notes", sql: "CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL);")]

    func schema() -> String { "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased() }

    func database(_ schema: String, migrateOnStart: Bool, url: String? = nil) throws -> PostgresConfiguration {
        var configuration = PostgresConfiguration(url: try url ?? TestDatabase.url(), applicationName: "readiness-test")
        configuration.schema = schema
        configuration.minConnections = 0
        configuration.maxConnections = 2
        configuration.migrateOnStart = migrateOnStart
        configuration.acquireTimeout = .milliseconds(500)
        return configuration
    }

    func app(_ database: PostgresConfiguration) -> KitTestApplication {
        KitTestApplication { runtime, router in
            let pool = runtime.makePostgresPool(database, migrations: Self.migrations)
            router.post("/notes") { _, _ -> String in
                let row = try await pool.query("INSERT INTO notes (body) VALUES ($1) RETURNING id", ["hello"]).rows[0]
                return String(try row.decode("id", as: Int.self))
            }
            return [pool]
        }
    }

    @Test func migratesOnStartThenServesAndIsReady() async throws {
        let app = app(try database(schema(), migrateOnStart: true))
        try await app.application.test(.live) { client in
            try await client.execute(uri: "/ready?verbose", method: .get) { response in
                #expect(response.status == .ok)
                let body = String(buffer: response.body)
                #expect(body.contains("[+]postgres:responseTime ok"))
                #expect(body.contains("[+]postgres:migrations ok"))
            }
            try await client.execute(uri: "/notes", method: .post) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "1")
            }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"db_queries_total{outcome="ok"}"#))
                #expect(text.contains(#"db_pool_connections{state="idle"}"#))
                let lint = try await Promtool.checkMetrics(text)
                #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
            }
        }
    }

    @Test func pendingMigrationsKeepItUnreadyUntilMigrateRuns() async throws {
        let schema = schema()
        let configuration = try database(schema, migrateOnStart: false)
        let app = app(configuration)
        try await app.application.test(.router) { client in
            // Unready either way; the check's own 2 s bound may cut it short on a loaded
            // machine ("timed out"), so ask until it has answered what is pending.
            try await waitUntil("the migrations check reports the pending migration") {
                try await client.execute(uri: "/ready?verbose", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    return String(buffer: response.body).contains("[-]postgres:migrations failed: pending migrations: [1]")
                }
            }
            let status = await ServiceCommand.migrate(
                identity: ServiceIdentity(name: "readiness-test", version: "1", defaultPort: 0),
                migrations: Self.migrations,
                environment: EnvironmentReader(["DATABASE_URL": configuration.url, "DB_SCHEMA": schema, "LOG_LEVEL": "error"])
            )
            #expect(status == 0)
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func unreachableDatabaseMakesItUnready() async throws {
        let port = try FreePort.allocate()
        let app = app(try database(schema(), migrateOnStart: false, url: "postgres://x@127.0.0.1:\(port)/none"))
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/ready?verbose", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("[-]postgres:responseTime failed"))
            }
            try await client.execute(uri: "/notes", method: .post) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains(#""error":"database_unavailable""#))
            }
        }
    }

    @Test func migrateCommandRejectsABadDatabaseURL() async {
        let status = await ServiceCommand.migrate(
            identity: ServiceIdentity(name: "x", version: "1", defaultPort: 0), migrations: Self.migrations,
            environment: EnvironmentReader(["DATABASE_URL": "mysql://nope"])
        )
        #expect(status == ServiceCommand.configurationErrorStatus)
    }
}
