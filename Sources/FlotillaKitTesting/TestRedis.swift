import FlotillaKit
import Foundation
import Logging
import Synchronization

/// The Redis server started by `scripts/test-deps` for this test run.
public enum TestRedis {
    /// `FLOTILLA_TEST_REDIS_URL`, or an error telling how to run the suite.
    public static func url() throws -> String {
        try MissingTestDependency.require("FLOTILLA_TEST_REDIS_URL")
    }

    /// A client for `url` (the test server by default); `configure` adjusts its settings.
    public static func makeClient(
        url: String? = nil,
        metrics: MetricsRegistry = MetricsRegistry(service: "test", version: "0"),
        configure: (inout RedisConfiguration) -> Void = { _ in }
    ) throws -> RedisClient {
        guard var configuration = RedisConfiguration(url: try url ?? self.url()) else {
            throw MissingTestDependency(variable: "a valid redis:// URL")
        }
        configure(&configuration)
        return RedisClient(configuration: configuration, metrics: metrics, logger: Logger(configuration: .testing()))
    }

    /// A key no other test uses.
    public static func uniqueKey(_ name: String) -> String {
        "test:\(name):\(UUID().uuidString)"
    }
}

/// A Redis server of a test's own, for tests that stop it.
public final class PrivateRedis: Sendable {
    public let port: Int
    private let process: KilledOnRelease

    /// Start `redis-server` on `port` (a free loopback port when nil: pass a stopped server's
    /// port to "restart" it, empty) and wait until it answers.
    public init(port: Int? = nil) async throws {
        self.port = try port ?? FreePort.allocate()
        let arguments = ["redis-server", "--bind", "127.0.0.1", "--port", String(self.port), "--save", "", "--appendonly", "no", "--loglevel", "warning"]
        guard let pid = CleanSpawn.spawn(arguments[0], Array(arguments.dropFirst())) else {
            throw ToolMissing(tool: "redis-server", hint: "scripts/test-deps install")
        }
        process = KilledOnRelease(pid: pid)
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let client = try? TestRedis.makeClient(url: url), (try? await client.send("PING")) != nil {
                await client.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessExited(status: -1, output: ["redis-server did not answer on port \(port)"])
    }

    public var url: String { "redis://127.0.0.1:\(port)/0" }

    /// Stop the server (SIGKILL: connections drop as in a crash). Idempotent; a test that
    /// throws before stopping it still leaves no process behind.
    public func stop() {
        process.stop()
    }
}
