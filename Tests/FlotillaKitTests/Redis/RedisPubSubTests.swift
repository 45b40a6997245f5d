import FlotillaKit
import FlotillaKitTesting
import Testing

@Suite("Redis pub/sub")
struct RedisPubSubTests {
    @Test func subscribersReceivePublishedMessagesInOrder() async throws {
        let url = try TestRedis.url()
        let configuration = try #require(RedisConfiguration(url: url))
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let channel = TestRedis.uniqueKey("channel")
        let other = TestRedis.uniqueKey("other")
        let subscription = try await RedisSubscription.subscribe(configuration, channels: [channel, other])
        #expect(try await redis.publish("first", to: channel) == 1)
        #expect(try await redis.publish("elsewhere", to: other) == 1)
        #expect(try await redis.publish("ignored", to: TestRedis.uniqueKey("unsubscribed")) == 0)
        #expect(try await redis.publish([0, 0xFF] as [UInt8], to: channel) == 1)

        var received = [RedisSubscription.Message]()
        for await message in subscription.messages {
            received.append(message)
            if received.count == 3 { break }
        }
        #expect(received.map(\.channel) == [channel, other, channel])
        #expect(received[0].text == "first")
        #expect(received[2].payload == [0, 0xFF])

        await subscription.close()
        // After closing, the stream finishes and nobody is subscribed any more.
        for await _ in subscription.messages {}
        try await waitUntil("nobody is subscribed to \(channel)") { try await redis.publish("late", to: channel) == 0 }
    }
}
