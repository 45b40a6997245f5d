#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging

/// The event streams a service takes part in, for its `events` subcommand.
public struct EventRoles: Sendable {
    /// Whether the service publishes an outbox to `events:<service>`.
    public var publishes: Bool
    /// The services whose streams it consumes.
    public var consumes: [String]

    public init(publishes: Bool, consumes: [String] = []) {
        self.publishes = publishes
        self.consumes = consumes
    }
}

/// `<service> events status | replay-dead | replay --from <id|time>`, run against the
/// service's database and Redis as configured by the environment.
enum EventsCommand {
    static let usage = "usage: events status | events replay-dead | events replay --from <entry id | RFC 3339 time>"

    static func run(identity: ServiceIdentity, roles: EventRoles, arguments: [String]) async -> Int32 {
        var environment = EnvironmentReader()
        var configuration = DataServiceConfiguration(identity: identity, environment: &environment)
        do {
            try environment.validate()
        } catch {
            ServiceCommand.printError("\(error)")
            return ServiceCommand.configurationErrorStatus
        }
        configuration.database.minConnections = 0
        configuration.database.maxConnections = 1
        let logger = Logger(configuration: configuration.service)
        let metrics = MetricsRegistry(service: identity.name, version: identity.version)
        let pool = PostgresPool(configuration: configuration.database, metrics: metrics, logger: logger)
        let redis = RedisClient(configuration: configuration.redis, metrics: metrics, logger: logger)
        let admin = EventBusAdmin(
            pool: pool, redis: redis, settings: configuration.events, service: identity.name, publishes: roles.publishes, consumes: roles.consumes)
        do {
            switch (arguments.first, arguments.dropFirst().first, arguments.dropFirst(2).first) {
            case ("status", nil, nil):
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(try await admin.status()), as: UTF8.self))
            case ("replay-dead", nil, nil):
                print("moved \(try await admin.replayDead()) dead letter(s) back to their streams")
            case ("replay", "--from", let start?):
                print("the group will be delivered every entry from \(try await admin.replay(from: start)) again")
            default:
                ServiceCommand.printError(usage)
                await pool.close()
                await redis.close()
                return 64
            }
            await pool.close()
            await redis.close()
            return 0
        } catch {
            ServiceCommand.printError("events: \(error)")
            await pool.close()
            await redis.close()
            return 1
        }
    }
}
