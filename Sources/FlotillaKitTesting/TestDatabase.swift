import FlotillaKit
import Foundation
import Logging

/// The PostgreSQL server started by `scripts/test-deps` for this test run.
public enum TestDatabase {
    /// `FLOTILLA_TEST_DATABASE_URL`, or an error telling how to run the suite.
    public static func url() throws -> String {
        try MissingTestDependency.require("FLOTILLA_TEST_DATABASE_URL")
    }

    /// A pool on the test server; `configure` adjusts its settings.
    public static func makePool(
        url: String? = nil,
        metrics: MetricsRegistry = MetricsRegistry(service: "test", version: "0"),
        logs: LogCapture = LogCapture(),
        configure: (inout PostgresConfiguration) -> Void = { _ in }
    ) throws -> PostgresPool {
        var configuration = PostgresConfiguration(url: try url ?? self.url(), applicationName: "flotilla-tests")
        configuration.minConnections = 0
        configuration.maxConnections = 4
        // Waits a loaded machine cannot outlast: a test that checks a timeout sets its own.
        configuration.acquireTimeout = .seconds(60)
        configuration.statementTimeout = .seconds(60)
        configure(&configuration)
        var serviceConfiguration = ServiceConfiguration.testing(logs: logs)
        serviceConfiguration.logLevel = .debug
        return PostgresPool(configuration: configuration, metrics: metrics, logger: Logger(configuration: serviceConfiguration))
    }

    /// The environment a service under test reads its database settings from: the test
    /// server, `schema`, no idle connections kept, and waits a loaded machine cannot outlast
    /// (a test that checks a timeout sets its own).
    public static func serviceEnvironment(schema: String) throws -> [String: String] {
        [
            // Small pools: tests check behaviour, not throughput, and the suite's services
            // together must stay under the test server's max_connections.
            "DATABASE_URL": try url(), "DB_SCHEMA": schema, "DB_POOL_MIN_CONNECTIONS": "0", "DB_POOL_MAX_CONNECTIONS": "4",
            "DB_POOL_ACQUIRE_TIMEOUT_SECONDS": "60", "DB_STATEMENT_TIMEOUT_SECONDS": "60",
            // The service's event streams and consumer groups are the test's own too.
            "EVENTS_STREAM_PREFIX": "test:\(schema):",
        ]
    }

    /// A fresh, uniquely named schema; tables created in it do not collide with other tests.
    public static func makeSchema(in pool: PostgresPool) async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await pool.query("CREATE SCHEMA \(name)")
        return name
    }

    /// Whether another session is running a statement whose text contains `marker` (a
    /// column alias, say), so a test can wait for a statement to be on the server, or check
    /// that a cancelled one stopped.
    public static func isRunning(_ marker: String, seenFrom pool: PostgresPool) async throws -> Bool {
        let rows = try await pool.query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()", ["%\(marker)%"]
        ).rows
        return try rows[0].decode("n", as: Int.self) > 0
    }
}

/// A throwaway PostgreSQL cluster of a test's own, for tests that stop or restart the server.
public final class PrivatePostgres: Sendable {
    public let directory: String
    public let url: String

    /// Start one with `scripts/test-deps start` (seconds of `initdb`, waited for off the
    /// cooperative pool).
    public init() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-pg-\(UUID().uuidString)").path
        self.directory = directory
        url = try await BlockingWork.run {
            try Self.testDeps(["start", directory])
            let env = try String(contentsOfFile: directory + "/env", encoding: .utf8)
            guard let line = env.split(separator: "\n").first(where: { $0.contains("FLOTILLA_TEST_DATABASE_URL=") }),
                let start = line.firstIndex(of: "'"), let end = line.lastIndex(of: "'"), start < end
            else { throw MissingTestDependency(variable: "FLOTILLA_TEST_DATABASE_URL in \(directory)/env") }
            return String(line[line.index(after: start)..<end])
        }
    }

    /// Restart the server (fast shutdown: open connections are cut).
    public func restart() async throws {
        let directory = directory
        try await BlockingWork.run { try Self.testDeps(["restart-postgres", directory]) }
    }

    /// Stop the server and remove its files.
    public func stop() {
        try? Self.testDeps(["stop", directory])
    }

    static func testDeps(_ arguments: [String]) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/test-deps").standardized
        // Not Foundation's Process: its waitUntilExit can miss the exit of a script whose
        // daemons (postgres, redis) outlive it; and the daemons need a clean signal mask.
        guard let pid = CleanSpawn.spawn(script.path, arguments) else {
            throw ProcessExited(status: -1, output: ["cannot run \(script.path)"])
        }
        let exitCode = CleanSpawn.waitForExit(pid)
        guard exitCode == 0 else {
            throw ProcessExited(status: exitCode ?? -1, output: ["scripts/test-deps \(arguments.joined(separator: " ")) failed"])
        }
    }
}

/// The suite was run without the servers `scripts/test` starts.
public struct MissingTestDependency: Error, CustomStringConvertible {
    public let variable: String
    public var description: String { "\(variable) is not set: run the suite with scripts/test, which starts PostgreSQL and Redis" }

    /// The value of `variable`, which `scripts/test-deps start` exports.
    static func require(_ variable: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty else {
            throw MissingTestDependency(variable: variable)
        }
        return value
    }
}
