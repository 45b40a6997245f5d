#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One consumer group's Redis commands over its streams: create, read (blocking, on a
/// dedicated connection), reclaim, acknowledge, dead-letter, and report lag.
struct ConsumerGroup: Sendable {
    /// An entry delivered to this consumer, and how many times it has been delivered.
    struct Delivery: Sendable {
        let stream: String
        let entry: RedisStream.Entry
        let deliveries: Int
    }

    let name: String
    let consumer: String
    let streams: [String]
    let redis: RedisClient
    let maxLength: Int
    /// `dead:<group>`: where entries go after failing every delivery.
    let deadLetters: String

    /// The group of service `service` over the streams of `sources`, named as `settings` say
    /// (`<prefix>events:<source>`, `<prefix>dead:<service>`).
    init(service: String, sources: [String], settings: EventBusConfiguration, redis: RedisClient) {
        self.init(
            name: service, consumer: settings.consumerName,
            streams: sources.map { settings.streamPrefix + EventEnvelope.streamName(source: $0) },
            redis: redis, maxLength: settings.streamMaxLength, deadLetters: settings.streamPrefix + "dead:\(service)")
    }

    init(name: String, consumer: String, streams: [String], redis: RedisClient, maxLength: Int, deadLetters: String) {
        self.name = name
        self.consumer = consumer
        self.streams = streams
        self.redis = redis
        self.maxLength = maxLength
        self.deadLetters = deadLetters
    }

    /// Create the group on every stream (and the streams) if missing, starting at `start`.
    func create(from start: EventBusConfiguration.StartPosition) async throws {
        for stream in streams {
            do {
                try await redis.send("XGROUP", "CREATE", stream, name, start == .beginning ? "0" : "$", "MKSTREAM")
            } catch let error as RedisError where error.code == "BUSYGROUP" {
                continue
            }
        }
    }

    /// New entries for this consumer, waiting up to `block` on `connection` for some.
    func read(count: Int, block: Duration, on connection: RedisDedicatedConnection) async throws -> [Delivery] {
        let command: [any RedisArgument] = ["XREADGROUP", "GROUP", name, consumer, "COUNT", count, "BLOCK", max(1, block.wholeMilliseconds), "STREAMS"]
            + streams + streams.map { _ in ">" }
        let reply = try await connection.send(command, blocking: block)
        var deliveries = [Delivery]()
        for item in reply.array ?? [] {
            guard let pair = item.array, pair.count == 2, let stream = pair[0].string else { continue }
            deliveries += try RedisStream.entries(pair[1]).map { Delivery(stream: stream, entry: $0, deliveries: 1) }
        }
        return deliveries
    }

    /// Entries another consumer (or this one, after a failed attempt) left unacknowledged for
    /// `minIdle`, now this consumer's, with their delivery counts.
    func reclaim(minIdle: Duration, count: Int) async throws -> [Delivery] {
        var claimed = [Delivery]()
        for stream in streams {
            let stale = try await RedisStream(client: redis, name: stream).claimStale(group: name, consumer: consumer, minIdle: minIdle, count: count)
            for entry in stale {
                let pending = try await redis.send("XPENDING", stream, name, entry.id, entry.id, 1)
                let times = pending.array?.first?.array?[3].int ?? 1
                claimed.append(Delivery(stream: stream, entry: entry, deliveries: times))
            }
        }
        return claimed
    }

    /// Acknowledge `deliveries`: one `XACK` per stream, in one round trip.
    func acknowledge(_ deliveries: [Delivery]) async throws {
        let byStream = Dictionary(grouping: deliveries, by: \.stream)
        guard !byStream.isEmpty else { return }
        let commands: [[any RedisArgument]] = byStream.map { stream, entries in ["XACK", stream, name] + entries.map(\.entry.id) }
        for reply in try await redis.pipeline(commands) {
            if case .error(let message) = reply { throw RedisError(.server, message) }
        }
    }

    /// Copy `delivery` to the dead-letter stream with `error` (the caller acknowledges it).
    func deadLetter(_ delivery: Delivery, error: String) async throws {
        var command: [any RedisArgument] = ["XADD", deadLetters, "MAXLEN", "~", maxLength, "*",
                                            "stream", delivery.stream, "entry_id", delivery.entry.id, "deliveries", delivery.deliveries,
                                            "error", String(error.prefix(2000)), "failed_at", RFC3339.now()]
        for (key, value) in delivery.entry.fields.sorted(by: { $0.key < $1.key }) { command += [key, value] }
        try await redis.send(command)
    }

    /// Entries not yet delivered to the group, per stream (`XINFO GROUPS` lag; nil when
    /// Redis cannot tell, e.g. after a trim past the group).
    func lag() async throws -> [String: Int?] {
        var lags = [String: Int?]()
        for stream in streams {
            let groups = try await redis.send("XINFO", "GROUPS", stream).array ?? []
            for group in groups {
                let fields = Self.fields(group)
                guard fields["name"]?.string == name else { continue }
                lags[stream] = fields["lag"]?.int
            }
        }
        return lags
    }

    /// A flat `[key, value, …]` reply as a dictionary.
    static func fields(_ reply: RedisValue) -> [String: RedisValue] {
        let flat = reply.array ?? []
        var fields = [String: RedisValue]()
        for index in stride(from: 0, to: flat.count - 1, by: 2) {
            if let key = flat[index].string { fields[key] = flat[index + 1] }
        }
        return fields
    }
}
