import FlotillaKit
import FlotillaKitTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@Suite("Redis building blocks")
struct RedisBuildingBlockTests {
    struct Product: Codable, Equatable, Sendable {
        let id: String
        let price: String
    }

    final class Calls: Sendable {
        private let count = Atomic<Int>(0)
        func record() { count.add(1, ordering: .relaxed) }
        var value: Int { count.load(ordering: .relaxed) }
    }

    @Test func cacheAsideHitsMissesAndInvalidates() async throws {
        let metrics = MetricsRegistry(service: "cache-test", version: "1")
        let redis = try TestRedis.makeClient(metrics: metrics)
        defer { Task { await redis.close() } }
        let cache = RedisCache(client: redis, name: "products", prefix: TestRedis.uniqueKey("cache") + ":", ttl: .seconds(60), metrics: metrics, logger: Logger(configuration: .testing()))
        let loads = Calls()
        let load = { @Sendable () async throws -> Product? in
            loads.record()
            return Product(id: "prod_001", price: "19.99")
        }
        let first = try await cache.value(for: "prod_001", load: load)
        #expect(first.value == Product(id: "prod_001", price: "19.99"))
        #expect(!first.cached)
        let second = try await cache.value(for: "prod_001", load: load)
        #expect(second.cached)
        #expect(second.value == first.value)
        #expect(loads.value == 1)
        await cache.invalidate("prod_001")
        #expect(try await !cache.value(for: "prod_001", load: load).cached)
        #expect(loads.value == 2)
        let text = metrics.exposition()
        #expect(text.contains(#"cache_requests_total{cache="products",result="hit"} 1"#))
        #expect(text.contains(#"cache_requests_total{cache="products",result="miss"} 2"#))
    }

    @Test func aGroupIsDroppedWithOneInvalidation() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let cache = RedisCache(client: redis, name: "groups", prefix: TestRedis.uniqueKey("group") + ":", ttl: .seconds(60), metrics: MetricsRegistry(service: "t", version: "1"), logger: Logger(configuration: .testing()))
        for key in ["page1", "page2"] {
            _ = try await cache.value(for: key, group: "user:alice") { Product(id: key, price: "1") }
            #expect(try await cache.value(for: key, group: "user:alice") { Product(id: "reloaded", price: "1") }.cached)
        }
        _ = try await cache.value(for: "page1", group: "user:bob") { Product(id: "bob", price: "1") }
        await cache.invalidate(group: "user:alice")
        for key in ["page1", "page2"] {
            let reloaded = try await cache.value(for: key, group: "user:alice") { Product(id: "reloaded", price: "1") }
            #expect(!reloaded.cached && reloaded.value?.id == "reloaded", "\(key)")
        }
        #expect(try await cache.value(for: "page1", group: "user:bob") { Product(id: "x", price: "1") }.cached, "other groups keep theirs")
    }

    @Test func cacheEntriesExpire() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let prefix = TestRedis.uniqueKey("ttl") + ":"
        // A TTL no loaded machine outlasts between two calls; expiry itself is then brought
        // forward, so the test waits for a condition, not for the clock.
        let cache = RedisCache(client: redis, name: "ttl", prefix: prefix, ttl: .seconds(60), metrics: MetricsRegistry(service: "t", version: "1"), logger: Logger(configuration: .testing()))
        _ = try await cache.value(for: "k") { Product(id: "a", price: "1") }
        #expect(try await cache.value(for: "k") { Product(id: "b", price: "2") }.cached)
        let remaining = try await redis.send("PTTL", prefix + "k")
        guard case .integer(let milliseconds) = remaining else { Issue.record("PTTL answered \(remaining)"); return }
        #expect((1...60_000).contains(milliseconds), "the entry carries the cache's TTL")
        try await redis.send("PEXPIRE", prefix + "k", 1)
        try await waitUntil("the entry has expired") { try await redis.send("EXISTS", prefix + "k") == .integer(0) }
        let expired = try await cache.value(for: "k") { Product(id: "b", price: "2") }
        #expect(!expired.cached)
        #expect(expired.value?.id == "b")
    }

    @Test func cacheKeepsServingWhenRedisStops() async throws {
        let server = try await PrivateRedis()
        let metrics = MetricsRegistry(service: "cache-test", version: "1")
        let redis = try TestRedis.makeClient(url: server.url, metrics: metrics) { $0.timeout = .milliseconds(300) }
        defer { Task { await redis.close() } }
        let cache = RedisCache(client: redis, name: "products", prefix: "p:", ttl: .seconds(60), metrics: metrics, logger: Logger(configuration: .testing()))
        _ = try await cache.value(for: "1") { Product(id: "1", price: "5.00") }
        #expect(try await cache.value(for: "1") { Product(id: "x", price: "0") }.cached)
        server.stop()
        let served = try await cache.value(for: "1") { Product(id: "1", price: "5.00") }
        #expect(served.value == Product(id: "1", price: "5.00"))
        #expect(!served.cached)
        #expect(metrics.exposition().contains(#"cache_requests_total{cache="products",result="error"}"#))
    }

    @Test func rateLimiterAllowsExactlyTheLimitUnderConcurrency() async throws {
        let redis = try TestRedis.makeClient {
            $0.maxConnections = 8
            $0.acquireTimeout = .seconds(10)  // 40 callers share 8 connections on a busy machine
        }
        defer { Task { await redis.close() } }
        let limiter = RedisRateLimiter(client: redis, limit: 10, window: .seconds(60), prefix: TestRedis.uniqueKey("rl") + ":")
        let decisions = try await withThrowingTaskGroup(of: RedisRateLimiter.Decision.self) { group in
            for _ in 0..<40 { group.addTask { try await limiter.check("client-1") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(decisions.filter(\.allowed).count == 10)
        #expect(Set(decisions.filter(\.allowed).map(\.remaining)) == Set(0...9))
        for denied in decisions where !denied.allowed {
            #expect(denied.remaining == 0)
            #expect(denied.retryAfter > .zero && denied.retryAfter <= .seconds(60))
        }
        // Another key has its own budget.
        #expect(try await limiter.check("client-2").allowed)
    }

    @Test func rateLimitWindowSlides() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        // The window is long enough that a loaded machine still makes all three calls inside it.
        let limiter = RedisRateLimiter(client: redis, limit: 2, window: .seconds(10), prefix: TestRedis.uniqueKey("slide") + ":")
        let first = try await limiter.check("k")
        #expect(first.allowed)
        #expect(first.resetAfter == .seconds(10), "the window frees up when the first call ages out")
        #expect(try await limiter.check("k").allowed)
        let denied = try await limiter.check("k")
        #expect(!denied.allowed)
        #expect(denied.resetAfter == denied.retryAfter)
        // Once the oldest call leaves the window, one more is allowed.
        try await Task.sleep(for: denied.retryAfter + .milliseconds(200))
        #expect(try await limiter.check("k").allowed)
    }

    @Test func lockGivesMutualExclusion() async throws {
        let redis = try TestRedis.makeClient {
            $0.maxConnections = 8
            $0.acquireTimeout = .seconds(10)
        }
        defer { Task { await redis.close() } }
        let lockKey = TestRedis.uniqueKey("lock")
        let counter = TestRedis.uniqueKey("counter")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    let lock = RedisLock(client: redis, key: lockKey, ttl: .seconds(30))
                    let done: Bool? = try await lock.withLock(wait: .seconds(60)) {
                        // A read-modify-write that would lose updates without the lock.
                        let value = try await redis.send("GET", counter).int ?? 0
                        try await Task.sleep(for: .milliseconds(10))
                        try await redis.send("SET", counter, value + 1)
                        return true
                    }
                    #expect(done == true)
                }
            }
            try await group.waitForAll()
        }
        #expect(try await redis.send("GET", counter).int == 6)
    }

    @Test func lockIsReleasedOnlyByItsHolder() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        // The TTL outlasts a loaded machine's pauses; the lock must be released, not expire.
        let lock = RedisLock(client: redis, key: TestRedis.uniqueKey("holder"), ttl: .seconds(60))
        let token = try #require(try await lock.tryAcquire())
        #expect(try await lock.tryAcquire() == nil)
        #expect(try await lock.release(token: "someone-else") == false)
        #expect(try await lock.tryAcquire() == nil)
        #expect(try await lock.release(token: token))
        #expect(try await lock.tryAcquire() != nil)
    }

    @Test func optionalRedisDownWarnsButStaysReady() async throws {
        let port = try FreePort.allocate()
        let unreachable = try #require(RedisConfiguration(url: "redis://127.0.0.1:\(port)/0"))
        let optional = KitTestApplication { runtime, _ in [runtime.makeRedisClient(unreachable, criticality: .optional)] }
        try await optional.application.test(.router) { client in
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains(#""status":"warn""#))
            }
        }
        let required = KitTestApplication { runtime, _ in [runtime.makeRedisClient(unreachable)] }
        try await required.application.test(.router) { client in
            try await client.execute(uri: "/ready?verbose", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body).contains("[-]redis:responseTime failed"))
            }
        }
    }

    @Test func redisMetricsPassPromtool() async throws {
        let metrics = MetricsRegistry(service: "redis-test", version: "1")
        let redis = try TestRedis.makeClient(metrics: metrics)
        defer { Task { await redis.close() } }
        try await redis.send("PING")
        let text = metrics.exposition()
        #expect(text.contains(#"redis_pool_connections{state="idle"} 1"#))
        let lint = try await Promtool.checkMetrics(text)
        #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
    }
}
