import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import Testing

@Suite("PostgreSQL pool")
struct PostgresPoolTests {
    func isRunning(_ marker: String, _ pool: PostgresPool) async throws -> Bool {
        try await TestDatabase.isRunning(marker, seenFrom: pool)
    }

    @Test func waitersGetReleasedConnections() async throws {
        let pool = try TestDatabase.makePool { $0.maxConnections = 1 }
        defer { Task { await pool.close() } }
        let values = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<5 {
                group.addTask { try await pool.query("SELECT $1::int8 AS v, pg_sleep(0.02)", [index]).rows[0].decode("v", as: Int.self) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values.sorted() == [0, 1, 2, 3, 4])
    }

    @Test func exhaustionFailsAtTheDeadlineWith503() async throws {
        let metrics = MetricsRegistry(service: "pool-test", version: "1")
        let pool = try TestDatabase.makePool(metrics: metrics) {
            $0.maxConnections = 2
            $0.acquireTimeout = .milliseconds(300)
        }
        defer { Task { await pool.close() } }
        let holders = (0..<2).map { _ in Task { try await pool.query("SELECT pg_sleep(30)") } }
        try await waitUntil("both connections in use") { metrics.exposition().contains(#"db_pool_connections{state="in_use"} 2"#) }
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        let waited = ContinuousClock.now - started
        #expect(error?.kind == .poolExhausted)
        #expect(error?.apiError.status == .serviceUnavailable)
        #expect(error?.apiError.code == "database_unavailable")
        // At the 300 ms deadline, not when a connection frees up 30 s later (room for a loaded machine).
        #expect(waited >= .milliseconds(250) && waited < .seconds(10))
        for holder in holders { holder.cancel() }
    }

    @Test func perQueryTimeoutCancelsOnTheServer() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let marker = "timeout_\(Int.random(in: 1...1_000_000))"
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) {
            try await pool.query("SELECT pg_sleep(600) AS \(marker)", timeout: .milliseconds(200))
        }
        #expect(error?.kind == .queryTimeout)
        #expect(error?.apiError.status == .gatewayTimeout)
        #expect(ContinuousClock.now - started < .seconds(120), "well before the 600 s query would end")
        #expect(try await !isRunning(marker, pool))
        // The connection is usable afterwards.
        #expect(try await pool.query("SELECT 1 AS one").rows[0].decode("one", as: Int.self) == 1)
    }

    @Test func serverStatementTimeoutIsAQueryTimeout() async throws {
        let pool = try TestDatabase.makePool { $0.statementTimeout = .milliseconds(200) }
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT pg_sleep(5)") }
        #expect(error?.kind == .queryTimeout)
        #expect(error?.sqlState == "57014")
    }

    @Test func cancellingTheTaskCancelsTheQuery() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let marker = "cancel_\(Int.random(in: 1...1_000_000))"
        let work = Task { try await pool.query("SELECT pg_sleep(600) AS \(marker)") }
        try await waitUntil("the query is running on the server") { try await isRunning(marker, pool) }
        let started = ContinuousClock.now
        work.cancel()
        let outcome = await work.result
        #expect(ContinuousClock.now - started < .seconds(120), "well before the 600 s query would end")
        #expect(throws: PostgresError.self) { try outcome.get() }
        if case .failure(let error as PostgresError) = outcome { #expect(error.kind == .cancelled) }
        #expect(try await !isRunning(marker, pool))
    }

    @Test func unreachableServerFailsFastWith503AndBacksOff() async throws {
        let port = try FreePort.allocate()
        let pool = try TestDatabase.makePool(url: "postgres://nobody:secret-pw@127.0.0.1:\(port)/none")
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.apiError.code == "database_unavailable")
        #expect(error?.description.contains("secret-pw") == false)
    }

    @Test func recoversAfterTheServerRestarts() async throws {
        let server = try await PrivatePostgres()
        defer { server.stop() }
        let logs = LogCapture()
        let pool = try TestDatabase.makePool(url: server.url, logs: logs) {
            $0.maxConnections = 2
            $0.idleValidationInterval = .zero
        }
        defer { Task { await pool.close() } }
        #expect(try await pool.query("SELECT 1 AS one").rows.count == 1)
        try await server.restart()
        // The idle connection died with the old server; it is validated, dropped and replaced.
        #expect(try await pool.query("SELECT 2 AS two").rows[0].decode("two", as: Int.self) == 2)
        #expect(logs.allLines.contains { $0.contains("dropping a dead idle connection") })
    }

    @Test func keepsMinimumConnectionsAndClosesOnShutdown() async throws {
        let metrics = MetricsRegistry(service: "pool-test", version: "1")
        let pool = try TestDatabase.makePool(metrics: metrics) { $0.minConnections = 2 }
        let running = Task { try await pool.run() }
        try await waitUntil("two idle connections opened") { metrics.exposition().contains(#"db_pool_connections{state="idle"} 2"#) }
        running.cancel()
        _ = await running.result
        await pool.close()
        #expect(metrics.exposition().contains(#"db_pool_connections{state="idle"} 0"#))
        let afterClose = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(afterClose?.kind == .poolClosed)
    }

    @Test func metricsAreExposedAndPromtoolClean() async throws {
        let metrics = MetricsRegistry(service: "pool-test", version: "1")
        let pool = try TestDatabase.makePool(metrics: metrics)
        defer { Task { await pool.close() } }
        try await pool.query("SELECT 1")
        _ = try? await pool.query("SELECT * FROM no_such_table")
        let text = metrics.exposition()
        #expect(text.contains(#"db_queries_total{outcome="ok"} 1"#))
        #expect(text.contains(#"db_queries_total{outcome="error"} 1"#))
        #expect(text.contains("db_query_duration_seconds_bucket"))
        #expect(text.contains("db_pool_wait_seconds_bucket"))
        #expect(text.contains(#"db_pool_connections{state="in_use"}"#))
        let lint = try await Promtool.checkMetrics(text)
        #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
    }
}

@Suite("PostgreSQL connection settings")
struct PostgresConnectionSettingsTests {
    @Test func applicationNameComesFromTheURLOrTheService() async throws {
        let url = try TestDatabase.url()
        let named = try TestDatabase.makePool(url: url + "&application_name=from-url")
        defer { Task { await named.close() } }
        let fromURL = try await named.query("SELECT current_setting('application_name') AS name").rows[0].decode("name", as: String.self)
        #expect(fromURL == "from-url")
        let fallback = try TestDatabase.makePool(url: url)
        defer { Task { await fallback.close() } }
        let fromService = try await fallback.query("SELECT current_setting('application_name') AS name").rows[0].decode("name", as: String.self)
        #expect(fromService == "flotilla-tests")
    }

    @Test func sslModeFromTheURLIsHonoured() async throws {
        // The test server has no TLS: requiring it must fail, disabling it must work.
        let url = try TestDatabase.url().replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        let pool = try TestDatabase.makePool(url: url)
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.message.contains("SSL") == true)
    }

    @Test func sessionsUseTheServiceSchemaAndUTC() async throws {
        let pool = try TestDatabase.makePool { $0.schema = "svc_schema_test" }
        defer { Task { await pool.close() } }
        let row = try await pool.query("SELECT current_setting('search_path') AS path, current_setting('TimeZone') AS zone").rows[0]
        #expect(try row.decode("path", as: String.self) == "svc_schema_test, public")
        #expect(try row.decode("zone", as: String.self) == "UTC")
    }

    @Test func configurationIsValidatedFromTheEnvironment() {
        var environment = EnvironmentReader([
            "DATABASE_URL": "postgres://u@h:5432/db?no_such_option=1", "DB_POOL_MIN_CONNECTIONS": "20", "DB_POOL_MAX_CONNECTIONS": "5",
            "DB_SCHEMA": "Bad-Name",
        ])
        _ = PostgresConfiguration(environment: &environment, applicationName: "catalog")
        #expect(environment.problems.map(\.variable) == ["DATABASE_URL", "DB_POOL_MIN_CONNECTIONS", "DB_SCHEMA"])
        var defaults = EnvironmentReader([:])
        let configuration = PostgresConfiguration(environment: &defaults, applicationName: "flotilla-kit-demo")
        #expect(defaults.problems.isEmpty)
        #expect(configuration.schema == "flotilla_kit_demo")
        #expect(PostgresConfiguration(url: "postgres://app:s3cret@db:5432/x", applicationName: "a").redactedURL == "postgres://app@db:5432/x")
    }
}
