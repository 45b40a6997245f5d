import FlotillaKit
import FlotillaKitTesting
import Testing

@Suite("Redis streams")
struct RedisStreamTests {
    @Test func consumerGroupDeliversEachEntryOnceAndAcknowledges() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let stream = RedisStream(client: redis, name: TestRedis.uniqueKey("events"))
        try await stream.createGroup("gamification")
        try await stream.createGroup("gamification")  // idempotent
        for index in 0..<5 { try await stream.add(["type": "task.completed", "n": String(index)]) }

        let first = try await stream.read(group: "gamification", consumer: "a", count: 3)
        let second = try await stream.read(group: "gamification", consumer: "b", count: 10)
        #expect(first.count == 3)
        #expect(second.count == 2)
        #expect(Set((first + second).map { $0.fields["n"] ?? "" }) == ["0", "1", "2", "3", "4"])
        #expect(first[0].fields["type"] == "task.completed")
        #expect(try await stream.read(group: "gamification", consumer: "a", count: 10).isEmpty)

        #expect(try await stream.acknowledge(group: "gamification", ids: first.map(\.id)) == 3)
        #expect(try await stream.acknowledge(group: "gamification", ids: first.map(\.id)) == 0)

        // Another group sees everything again.
        try await stream.createGroup("analytics")
        #expect(try await stream.read(group: "analytics", consumer: "x", count: 10).count == 5)
    }

    @Test func staleEntriesAreClaimedByAnotherConsumer() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let stream = RedisStream(client: redis, name: TestRedis.uniqueKey("claims"))
        try await stream.createGroup("workers")
        try await stream.add(["order": "1"])
        let taken = try await stream.read(group: "workers", consumer: "crashed", count: 1)
        #expect(taken.count == 1)
        #expect(try await stream.claimStale(group: "workers", consumer: "rescuer", minIdle: .seconds(60), count: 10).isEmpty)
        try await Task.sleep(for: .milliseconds(150))
        let claimed = try await stream.claimStale(group: "workers", consumer: "rescuer", minIdle: .milliseconds(100), count: 10)
        #expect(claimed.map(\.id) == taken.map(\.id))
        #expect(claimed.first?.fields["order"] == "1")
    }

    @Test func streamsCanBeCapped() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let stream = RedisStream(client: redis, name: TestRedis.uniqueKey("capped"))
        for index in 0..<500 { try await stream.add(["n": String(index)], maxLength: 100) }
        let length = try await redis.send("XLEN", stream.name).int ?? 0
        #expect(length >= 100 && length < 500)
    }
}
