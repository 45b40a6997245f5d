import FlotillaKit
import FlotillaKitTesting
import Testing

/// Concurrent callers' commands share round trips (``RedisClient`` pipelines them
/// together) without mixing up replies, errors or transactions.
@Suite("Redis automatic pipelining")
struct RedisBatchingTests {
    @Test func concurrentCallersShareRoundTripsAndGetTheirOwnReplies() async throws {
        let metrics = MetricsRegistry(service: "redis-batching", version: "1")
        let redis = try TestRedis.makeClient(metrics: metrics)
        defer { Task { await redis.close() } }
        let key = TestRedis.uniqueKey("batching")
        let callers = 300
        let answers = try await withThrowingTaskGroup(of: (Int, RedisValue, RedisValue).self) { group in
            for caller in 0..<callers {
                group.addTask {
                    let replies = try await redis.pipeline([["SET", "\(key):\(caller)", "value-\(caller)"], ["GET", "\(key):\(caller)"]])
                    let alone = try await redis.send("INCR", "\(key):count")
                    return (caller, replies[1], alone)
                }
            }
            return try await group.reduce(into: [(Int, RedisValue, RedisValue)]()) { $0.append($1) }
        }
        #expect(answers.count == callers)
        for (caller, value, _) in answers {
            #expect(value == .bulk(Array("value-\(caller)".utf8)), "caller \(caller) got \(value)")
        }
        // Every INCR counted once, and each caller saw a distinct count.
        #expect(Set(answers.map { $0.2.int ?? 0 }) == Set(1...callers))
        let exposition = metrics.exposition()
        let trips = Self.counter("redis_round_trips_total", in: exposition)
        let commands = Self.counter("redis_commands_total", in: exposition)
        #expect(commands == Double(callers * 3))
        // Unbatched, each of the 2 × callers calls would be its own round trip.
        #expect(trips >= 1 && trips < Double(callers * 2), "\(trips) round trips for \(callers * 2) calls: nothing was pipelined")
    }

    @Test func anErrorReplyReachesOnlyItsCaller() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let key = TestRedis.uniqueKey("batching-error")
        try await redis.send("SET", key, "text")
        let results = await withTaskGroup(of: Bool.self) { group in
            for caller in 0..<100 {
                group.addTask {
                    // Every tenth caller sends a command of the wrong type for the key.
                    let failed = caller % 10 == 0
                    do {
                        _ = try await redis.send(failed ? ["LPUSH", key, "x"] : ["GET", key])
                        return !failed
                    } catch let error as RedisError {
                        return failed && error.code == "WRONGTYPE"
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 100)
        #expect(results.allSatisfy { $0 }, "a caller got another caller's error or lost its reply")
    }

    @Test func transactionsStayWholeAmongOtherCallers() async throws {
        let redis = try TestRedis.makeClient()
        defer { Task { await redis.close() } }
        let key = TestRedis.uniqueKey("batching-multi")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<50 {
                group.addTask {
                    let replies = try await redis.pipeline([["MULTI"], ["INCR", "\(key):a"], ["INCR", "\(key):b"], ["EXEC"]])
                    guard case .array(let results) = replies[3], results.count == 2 else {
                        Issue.record("caller \(caller): EXEC answered \(replies[3])")
                        return
                    }
                    // Both counters move together inside one transaction.
                    #expect(results[0] == results[1], "caller \(caller): \(results)")
                }
                group.addTask { _ = try await redis.send("INCR", "\(key):other") }
            }
            try await group.waitForAll()
        }
        #expect(try await redis.send("GET", "\(key):a") == .bulk(Array("50".utf8)))
    }

    private static func counter(_ name: String, in exposition: String) -> Double {
        exposition.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ")[1]) } ?? -1
    }
}
