import FlotillaKit
import Foundation

/// The real binaries of the services a service under test calls (projects, tasks, users…):
/// each on a PostgreSQL schema and Redis prefix of its own, verifying tokens from the test's
/// issuer (`authURL`), and sharing one event-stream namespace (``events``) with the service
/// under test, so events flow between them as in the fleet.
public struct NeighbourServices: Sendable {
    /// The suite's name (`time`), part of every schema, prefix and stream name.
    public let tag: String
    /// What keeps this test's names apart from every other running test's.
    public let unique: String
    public let authURL: String

    public init(tag: String, authURL: String, unique: String = String(UUID().uuidString.prefix(8).lowercased())) {
        self.tag = tag
        self.authURL = authURL
        self.unique = unique
    }

    /// The event bus settings of the test: its stream namespace, a quick relay and consumer.
    public var events: [String: String] {
        ["EVENTS_STREAM_PREFIX": streamPrefix, "EVENTS_RELAY_POLL_SECONDS": "0.2", "EVENTS_READ_BLOCK_SECONDS": "0.2"]
    }

    /// The prefix of the test's event streams.
    public var streamPrefix: String { "test:\(tag)-\(unique):" }

    /// The schema neighbour `name` keeps its tables in.
    public func schema(of name: String) -> String { "\(tag)_\(name)_\(unique)" }

    /// Start neighbour `name` with `extra` settings and wait until it is ready; the caller stops it.
    public func start(_ name: String, _ extra: [String: String] = [:]) async throws -> ServiceProcess {
        let process = try ServiceProcess(executable: name, environment: try TestDatabase.serviceEnvironment(schema: schema(of: name)).merging([
            "REDIS_URL": try TestRedis.url(), "AUTH_SERVICE_URL": authURL, "\(name.uppercased())_REDIS_PREFIX": "test:\(tag)-\(name):\(unique):",
            "LOG_LEVEL": "warning",
        ].merging(events) { $1 }.merging(extra) { $1 }) { $1 })
        do {
            try await process.waitUntilAnswering("/ready")
        } catch {
            process.stop()
            throw error
        }
        return process
    }
}
