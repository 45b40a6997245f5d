import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import Logging
import Synchronization

/// A schema, a stream namespace and a source name of a test's own, and services built on
/// them the way a real service is (``DataService``), publishing or consuming events.
struct EventBusHarness {
    let schema: String
    let source: String
    let prefix: String
    let redisURL: String
    /// A pool on the test's schema, for recording events as a service's handlers would.
    let pool: PostgresPool
    let redis: RedisClient

    /// The producer's tables, then the consumer's, then a table the test handlers write.
    static let migrations = Outbox.migrations(startingAt: 1) + [
        ProcessedEvents.migration(version: 3),
        Migration(version: 4, name: "create_handled", sql: "CREATE TABLE handled (event_id uuid NOT NULL, type text NOT NULL, note text);"),
        Outbox.publishedEventsMigration(version: 5),
    ]

    static func make(redisURL: String? = nil) async throws -> EventBusHarness {
        let schema = "events_" + UUID().uuidString.prefix(8).lowercased()
        let pool = try TestDatabase.makePool { $0.schema = schema }
        try await Migrator(schema: schema, migrations: migrations).migrate(on: pool, logger: Logger(label: "test"))
        let url = try redisURL ?? TestRedis.url()
        return EventBusHarness(
            schema: schema, source: "src\(schema.suffix(8))", prefix: "test:\(schema):", redisURL: url, pool: pool,
            redis: try TestRedis.makeClient(url: url))
    }

    /// A service named `name` on the harness's schema and Redis, with `overrides`.
    func service(named name: String, logs: LogCapture = LogCapture(), _ overrides: [String: String] = [:]) throws -> DataService {
        var values = try TestDatabase.serviceEnvironment(schema: schema)
        values["REDIS_URL"] = redisURL
        values["EVENTS_STREAM_PREFIX"] = prefix
        values["EVENTS_CONSUMER_NAME"] = "\(name)-\(UUID().uuidString.prefix(4))"
        values.merge(overrides) { $1 }
        var environment = EnvironmentReader(values)
        var configuration = DataServiceConfiguration(identity: ServiceIdentity(name: name, version: "0", defaultPort: 0), environment: &environment)
        try environment.validate()
        configuration.service = .testing(name: name, logs: logs)
        return DataService(configuration, migrations: Self.migrations, httpClient: EventBusHarness.httpClient)
    }

    /// The application of `service`, with no routes of its own.
    func application(_ service: DataService) -> FlotillaApplication {
        service.makeApplication(router: service.runtime.makeRouter())
    }

    /// The stream `source` publishes to, under the harness's prefix.
    func stream(of source: String) -> RedisStream {
        RedisStream(client: redis, name: prefix + EventEnvelope.streamName(source: source))
    }

    /// The envelopes in `source`'s stream, in order.
    func published(by source: String) async throws -> [EventEnvelope] {
        try await stream(of: source).range(count: 10_000).map { try EventEnvelope.decode($0.fields["event"] ?? "") }
    }

    /// Record event `type` about `aggregate` in a committed transaction.
    @discardableResult
    func record(_ type: String, aggregate: String, data: [String: JSONValue] = [:]) async throws -> String {
        try await pool.withTransaction { try await $0.recordEvent(type, aggregate: "thing", id: aggregate, actor: "user-1", data: data) }
    }

    /// Append `envelope` to `source`'s stream as a relay would.
    func deliver(_ envelope: EventEnvelope) async throws {
        try await stream(of: envelope.source).add(["id": envelope.id, "type": envelope.type, "event": envelope.encoded()])
    }

    /// Rows the test handlers wrote.
    func handled() async throws -> [(id: String, type: String)] {
        try await pool.query("SELECT event_id::text AS id, type FROM handled ORDER BY type, id").rows.map {
            (try $0.decode("id", as: String.self), try $0.decode("type", as: String.self))
        }
    }

    func close() async {
        await pool.close()
        await redis.close()
    }

    static let httpClient = FlotillaHTTPClient(configuration: .init(userAgent: "event-bus-tests"))

    /// An envelope from `source` as its relay would publish it.
    static func envelope(source: String, type: String = "thing.made", aggregate: String = "t1", traceparent: String? = nil, requestID: String? = nil) -> EventEnvelope {
        EventEnvelope(
            id: UUID().uuidString.lowercased(), type: type, occurredAt: RFC3339.now(), source: source,
            aggregate: .init(type: "thing", id: aggregate), actor: "user-1", data: ["n": .int(1)], traceparent: traceparent, requestID: requestID)
    }
}

/// Handlers that write each event to `handled`, failing while `failing` is set.
final class RecordingHandlers: Sendable {
    let failing = Atomic<Bool>(false)
    let attempts = Atomic<Int>(0)

    var handlers: EventHandlers {
        var handlers = EventHandlers()
        handlers.on("thing.made") { [self] envelope, session in
            attempts.add(1, ordering: .relaxed)
            try await session.query("INSERT INTO handled (event_id, type) VALUES ($1::uuid, $2)", [envelope.id, envelope.type])
            if failing.load(ordering: .relaxed) { throw HandlerFailure() }
        }
        return handlers
    }

    struct HandlerFailure: Error, CustomStringConvertible {
        var description: String { "the test handler refuses this event" }
    }
}
