#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Prometheus

/// Cache-aside over Redis with JSON values and a TTL.
///
/// Redis being down or slow is a miss, never an error: the loader runs, the answer is
/// served, and the failure is counted (`cache_requests_total{result="error"}`) and logged.
public struct RedisCache: Sendable {
    /// A value and whether it came from the cache.
    public struct Lookup<Value: Sendable>: Sendable {
        public let value: Value?
        public let cached: Bool
    }

    let client: RedisClient
    /// Prefix of every key, e.g. `catalog:product:`.
    public let prefix: String
    /// Default time to live.
    public let ttl: Duration
    private let hits: Counter
    private let misses: Counter
    private let errors: Counter
    private let logger: Logger

    public init(client: RedisClient, name: String, prefix: String, ttl: Duration, metrics: MetricsRegistry, logger: Logger) {
        self.client = client
        self.prefix = prefix
        self.ttl = ttl
        self.logger = logger
        let requests = MetricNameDescriptor.named("cache_requests_total", help: "Cache lookups, by cache and result (hit, miss, error).")
        hits = metrics.prometheus.makeCounter(descriptor: requests, labels: [("cache", name), ("result", "hit")])
        misses = metrics.prometheus.makeCounter(descriptor: requests, labels: [("cache", name), ("result", "miss")])
        errors = metrics.prometheus.makeCounter(descriptor: requests, labels: [("cache", name), ("result", "error")])
    }

    /// The cached value for `key`, or `load()`'s result (stored for `ttl` unless nil).
    public func value<Value: Codable & Sendable>(
        for key: String,
        as type: Value.Type = Value.self,
        ttl: Duration? = nil,
        load: () async throws -> Value?
    ) async throws -> Lookup<Value> {
        let redisKey = prefix + key
        if let value = await read(redisKey, { try? JSONDecoder().decode(Value.self, from: Data($0)) }) {
            return Lookup(value: value, cached: true)
        }
        let value = try await load()
        if let value, let encoded = try? JSONEncoder().encode(value) { await store(Array(encoded), at: redisKey, ttl: ttl) }
        return Lookup(value: value, cached: false)
    }

    /// The JSON of `key`'s value as the API serves it (``JSONResponse``'s encoding), from the
    /// cache, or `load()`'s value encoded so and stored for `ttl`: a hit is served as stored,
    /// never decoded and encoded again. Keep these entries under a prefix of their own
    /// (``value(for:as:ttl:load:)`` stores another encoding).
    public func json<Value: Encodable & Sendable>(
        for key: String,
        ttl: Duration? = nil,
        load: () async throws -> Value?
    ) async throws -> Lookup<[UInt8]> {
        let redisKey = prefix + key
        if let bytes = await read(redisKey, { $0 }) { return Lookup(value: bytes, cached: true) }
        guard let value = try await load() else { return Lookup(value: nil, cached: false) }
        let encoded = Array(try JSONResponse.makeEncoder().encode(value))
        await store(encoded, at: redisKey, ttl: ttl)
        return Lookup(value: encoded, cached: false)
    }

    /// The entry at `redisKey` as `accept` reads it, counting the hit or miss (an entry
    /// `accept` refuses is a miss); nil on a miss or when Redis fails (counted and logged).
    private func read<Value>(_ redisKey: String, _ accept: ([UInt8]) -> Value?) async -> Value? {
        do {
            if case .bulk(let bytes) = try await client.send("GET", redisKey), let value = accept(bytes) {
                hits.increment()
                return value
            }
            misses.increment()
        } catch {
            errors.increment()
            logger.warning("cache read failed; serving from the source", metadata: ["key": "\(redisKey)", "error.description": "\(error)"])
        }
        return nil
    }

    /// Store `bytes` at `redisKey` for `ttl` (or the default); a failure is counted and logged.
    private func store(_ bytes: [UInt8], at redisKey: String, ttl: Duration?) async {
        do {
            try await client.send("SET", redisKey, bytes, "PX", max(Int((ttl ?? self.ttl).roundedMilliseconds), 1))
        } catch {
            errors.increment()
            logger.warning("cache write failed", metadata: ["key": "\(redisKey)", "error.description": "\(error)"])
        }
    }

    /// ``value(for:as:ttl:load:)`` for an entry of `group` (e.g. everything computed from one
    /// user's data): ``invalidate(group:)`` drops all of a group's entries at once, however
    /// many keys (pages, filters, date ranges) they have. The group's generation number is part
    /// of each key, so invalidating is one `INCR` and old entries just expire. When Redis
    /// fails the cache is bypassed.
    public func value<Value: Codable & Sendable>(
        for key: String,
        group: String,
        as type: Value.Type = Value.self,
        ttl: Duration? = nil,
        load: () async throws -> Value?
    ) async throws -> Lookup<Value> {
        let generation: Int
        do {
            generation = try await client.send("GET", generationKey(group)).string.flatMap { Int($0) } ?? 0
        } catch {
            errors.increment()
            logger.warning("cache read failed; serving from the source", metadata: ["group": "\(group)", "error.description": "\(error)"])
            return Lookup(value: try await load(), cached: false)
        }
        return try await value(for: "\(group):\(generation):\(key)", as: type, ttl: ttl, load: load)
    }

    /// Drop every entry of `group`. Failures are logged, not thrown: the TTL bounds how long
    /// a stale entry can live.
    public func invalidate(group: String) async {
        do {
            // The generation outlives any entry by far; if it expires, so have they.
            _ = try await client.pipeline([["INCR", generationKey(group)], ["PEXPIRE", generationKey(group), 7 * 86_400_000]])
        } catch {
            errors.increment()
            logger.warning("cache invalidation failed", metadata: ["group": "\(group)", "error.description": "\(error)"])
        }
    }

    private func generationKey(_ group: String) -> String {
        prefix + "generation:" + group
    }

    /// Drop `key` from the cache (after the source changed). Failures are logged, not thrown:
    /// the TTL bounds how long a stale entry can live.
    public func invalidate(_ key: String) async {
        do {
            try await client.send("DEL", prefix + key)
        } catch {
            errors.increment()
            logger.warning("cache invalidation failed", metadata: ["key": "\(prefix + key)", "error.description": "\(error)"])
        }
    }
}
