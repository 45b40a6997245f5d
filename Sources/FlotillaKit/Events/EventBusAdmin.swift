#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an operator does with a service's events (`<service> events status|replay-dead|replay`):
/// look at the outbox, the streams, the consumer group and its dead letters; move dead letters
/// back to their streams; reprocess history from a point.
public struct EventBusAdmin: Sendable {
    /// A snapshot for `events status`.
    public struct Status: Codable, Sendable {
        public struct Outbox: Codable, Sendable {
            public var pending: Int
            public var oldestAgeSeconds: Double
        }
        public struct Stream: Codable, Sendable {
            public var name: String
            public var length: Int
            public var lag: Int?
            public var pending: Int
        }
        public var outbox: Outbox?
        public var published: Stream?
        public var consumed: [Stream]
        public var deadLetters: Int
    }

    let pool: PostgresPool
    let redis: RedisClient
    let settings: EventBusConfiguration
    let service: String
    let publishes: Bool
    let consumes: [String]

    /// For service `service`, which publishes (or not) and consumes the streams of `consumes`.
    public init(pool: PostgresPool, redis: RedisClient, settings: EventBusConfiguration, service: String, publishes: Bool, consumes: [String]) {
        self.pool = pool
        self.redis = redis
        self.settings = settings
        self.service = service
        self.publishes = publishes
        self.consumes = consumes
    }

    var group: ConsumerGroup {
        ConsumerGroup(service: service, sources: consumes, settings: settings, redis: redis)
    }

    /// The outbox, the service's own stream, each consumed stream with the group's lag and
    /// pending count, and the dead letters.
    public func status() async throws -> Status {
        var status = Status(outbox: nil, published: nil, consumed: [], deadLetters: 0)
        if publishes {
            let pending = try await OutboxStore(pool: pool, source: service).pending()
            status.outbox = .init(pending: pending.count, oldestAgeSeconds: pending.oldestAge)
            let name = settings.streamPrefix + EventEnvelope.streamName(source: service)
            status.published = .init(name: name, length: try await RedisStream(client: redis, name: name).length(), lag: nil, pending: 0)
        }
        let lags = try await group.lag()
        for stream in group.streams {
            let summary = try await redis.send("XPENDING", stream, service)
            status.consumed.append(.init(
                name: stream, length: try await RedisStream(client: redis, name: stream).length(),
                lag: lags[stream] ?? nil, pending: summary.array?.first?.int ?? 0))
        }
        status.deadLetters = try await RedisStream(client: redis, name: group.deadLetters).length()
        return status
    }

    /// Move every dead letter back to the stream it came from (as a new entry: every group
    /// sees it again, and those that handled it skip it by id); returns how many moved.
    public func replayDead() async throws -> Int {
        let dead = RedisStream(client: redis, name: group.deadLetters)
        var moved = 0
        while true {
            let letters = try await dead.range(count: 100)
            if letters.isEmpty { return moved }
            for letter in letters {
                if let stream = letter.fields["stream"], let event = letter.fields["event"] {
                    try await RedisStream(client: redis, name: stream).add(
                        ["id": letter.fields["id"] ?? "", "type": letter.fields["type"] ?? "", "event": event], maxLength: settings.streamMaxLength)
                    moved += 1
                }
                try await redis.send("XDEL", group.deadLetters, letter.id)
            }
        }
    }

    /// Deliver the consumed streams' entries from `start` (an entry id such as
    /// `1733475600000-0`, or an RFC 3339 time) to the group again, forgetting that they were
    /// processed so the handlers run again; returns the position used.
    public func replay(from start: String) async throws -> String {
        let milliseconds: Int64
        if let id = start.split(separator: "-", maxSplits: 1).first.flatMap({ Int64($0) }), start.allSatisfy({ $0.isNumber || $0 == "-" }) {
            milliseconds = id
        } else if let date = RFC3339.parse(start) {
            milliseconds = Int64(date.timeIntervalSince1970 * 1000)
        } else {
            throw ReplayPositionError(text: start)
        }
        for stream in group.streams {
            try await pool.query(
                "DELETE FROM processed_events WHERE stream = $1 AND split_part(entry_id, '-', 1)::bigint >= $2", [stream, Int(milliseconds)])
            // SETID names the last entry delivered: one before the first to replay.
            try await redis.send("XGROUP", "SETID", stream, service, milliseconds > 0 ? "\(milliseconds - 1)-18446744073709551615" : "0")
        }
        return "\(milliseconds)-0"
    }
}

/// `replay --from` got neither an entry id nor a time.
public struct ReplayPositionError: Error, CustomStringConvertible {
    public let text: String
    public var description: String { "'\(text)' is neither a stream entry id (1733475600000-0) nor an RFC 3339 time (2026-12-06T09:00:00Z)" }
}
