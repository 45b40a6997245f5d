import FlotillaKit
import FlotillaKitTesting
import Hummingbird
import Testing

@Suite("Redis client")
struct RedisClientTests {
    @Test func commandsAreBinarySafe() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let key = TestRedis.uniqueKey("bytes")
        let bytes: [UInt8] = [0, 1, 2, 0x0D, 0x0A, 0xFF, 0]
        #expect(try await redis.send("SET", key, bytes) == .status("OK"))
        #expect(try await redis.send("GET", key) == .bulk(bytes))
        #expect(try await redis.send("GET", key + ":missing") == .null)
        #expect(try await redis.send("INCR", key + ":n").int == 1)
        #expect(try await redis.send("DEL", key, key + ":n").int == 2)
    }

    @Test func errorRepliesAreThrownWithTheirCode() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let key = TestRedis.uniqueKey("wrongtype")
        try await redis.send("SET", key, "text")
        let error = await #expect(throws: RedisError.self) { try await redis.send("LPUSH", key, "x") }
        #expect(error?.kind == .server)
        #expect(error?.code == "WRONGTYPE")
    }

    @Test func pipelinesSendManyCommandsInOneRoundTrip() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let key = TestRedis.uniqueKey("pipeline")
        let replies = try await redis.pipeline((0..<100).map { _ in ["INCR", key] } + [["HGET", key, "x"]])
        #expect(replies.prefix(100).map(\.int) == (1...100).map { $0 })
        guard case .error(let message) = replies[100] else {
            Issue.record("expected an error reply in place, got \(replies[100])")
            return
        }
        #expect(message.hasPrefix("WRONGTYPE"))
    }

    @Test func scriptsSurviveScriptFlush() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
        let key = TestRedis.uniqueKey("script")
        #expect(try await redis.run(script, keys: [key], arguments: [5]).int == 5)
        try await redis.send("SCRIPT", "FLUSH")
        #expect(try await redis.run(script, keys: [key], arguments: [2]).int == 7)
        #expect(try await redis.send("SCRIPT", "EXISTS", script.sha1).array == [.integer(1)])
    }

    @Test func wrongPasswordFailsToConnect() async throws {
        let url = try TestRedis.url()
        let redis = try TestRedis.makeClient(url: url) { $0.password = "not-the-password" }
        defer { Task { await redis.close() } }
        let error = await #expect(throws: RedisError.self) { try await redis.send("PING") }
        #expect(error?.kind == .connectionFailed)
        #expect(error?.description.contains("not-the-password") == false)
        #expect(error?.apiError.status == .serviceUnavailable)
    }

    @Test func urlsAreParsed() throws {
        let full = try #require(RedisConfiguration(url: "redis://app:p%40ss@cache.internal:6380/3"))
        #expect(full.host == "cache.internal")
        #expect(full.port == 6380)
        #expect(full.username == "app")
        #expect(full.password == "p@ss")
        #expect(full.database == 3)
        #expect(full.redactedDescription == "cache.internal:6380/3")
        let bare = try #require(RedisConfiguration(url: "redis://localhost"))
        #expect(bare.port == 6379 && bare.database == 0 && bare.password == nil)
        #expect(RedisConfiguration(url: "http://localhost") == nil)
        #expect(RedisConfiguration(url: "redis://localhost:99999") == nil)
        #expect(RedisConfiguration(url: "redis://localhost/x") == nil)
    }

    @Test func scriptNamesMatchRedis() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        for source in ["return 1", "return 'ünïcode'", "-- " + String(repeating: "x", count: 200) + "\nreturn 2"] {
            let loaded = try await redis.send("SCRIPT", "LOAD", source).string
            #expect(loaded == RedisScript(source).sha1)
        }
    }
}
