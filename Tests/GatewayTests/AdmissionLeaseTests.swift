@testable import Gateway
import FlotillaKitTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("gateway: admission leases (rate-limit tokens reserved in Redis, spent locally)")
struct AdmissionLeaseTests {
    static let outcome = GatewayRateLimiter.Outcome(limit: 6400, remaining: 6336, resetAfter: .seconds(60))

    @Test func reservedTokensAreSpentOneByOneWithTheRemainingCountingDown() {
        let leases = AdmissionLeases<String>(lifetime: .seconds(1))
        let start = ContinuousClock.now
        #expect(leases.spend("k", now: start) == nil, "no lease yet: ask Redis")
        leases.store("k", .init(tokens: 3, counted: Self.outcome, granted: start))
        let spent = (1...3).compactMap { leases.spend("k", now: start + .milliseconds($0 * 10)) }
        #expect(spent.map(\.remaining) == [6338, 6337, 6336])
        #expect(spent.allSatisfy { $0.limit == 6400 })
        #expect(spent[2].resetAfter == .seconds(60) - .milliseconds(30))
        #expect(leases.spend("k", now: start + .milliseconds(40)) == nil, "all three spent")
        #expect(leases.spend("other", now: start) == nil, "leases are per budget")
    }

    @Test func tokensLeftWhenTheLeaseExpiresAreNotSpent() {
        let leases = AdmissionLeases<String>(lifetime: .seconds(1))
        let start = ContinuousClock.now
        leases.store("k", .init(tokens: 10, counted: Self.outcome, granted: start))
        #expect(leases.spend("k", now: start + .milliseconds(999)) != nil)
        #expect(leases.spend("k", now: start + .seconds(1)) == nil)
        // A new lease does not carry the expired one's tokens.
        leases.store("k", .init(tokens: 1, counted: Self.outcome, granted: start + .seconds(2)))
        #expect(leases.spend("k", now: start + .seconds(2)) != nil)
        #expect(leases.spend("k", now: start + .seconds(2)) == nil)
    }

    @Test func aFullTableDropsExpiredLeasesAndThenRefusesNewOnes() {
        let leases = AdmissionLeases<String>(lifetime: .seconds(1), capacity: 2)
        let start = ContinuousClock.now
        leases.store("a", .init(tokens: 1, counted: Self.outcome, granted: start))
        leases.store("b", .init(tokens: 1, counted: Self.outcome, granted: start))
        leases.store("c", .init(tokens: 1, counted: Self.outcome, granted: start))
        #expect(leases.spend("c", now: start) == nil, "full of live leases: c is not kept")
        leases.store("c", .init(tokens: 1, counted: Self.outcome, granted: start + .seconds(2)))
        #expect(leases.spend("c", now: start + .seconds(2)) != nil, "the expired a and b made room")
    }

    @Test func aRoomyBudgetIsCountedInRedisOnceForManyRequests() async throws {
        // A lease long enough that a loaded CI machine cannot outlast it between requests.
        try await GatewayHarness.run(environment: ["GATEWAY_RATE_LIMIT_LEASE_MS": "60000"]) { client, upstream, _ in
            let before = try await Self.redisCommands(client)
            var remaining = [Int]()
            for _ in 0..<20 {
                let reply = try await client.send(.get, "/api/v1/roomy")
                #expect(reply.status == .ok)
                remaining.append(Int(reply.headers[.rateLimitRemaining] ?? "") ?? -1)
            }
            #expect(remaining == Array((6380..<6400).reversed()), "each request still counts")
            #expect(upstream.requests.count == 20)
            let commands = try await Self.redisCommands(client) - before
            #expect(commands <= 2, "one admission script (and at most one reload) for 20 requests, not \(commands)")
        }
    }

    @Test func aLeasedBudgetIsStillExactAtItsBoundaryUnderConcurrency() async throws {
        try await GatewayHarness.run { client, upstream, _ in
            let statuses = try await client.burst(150, "GET", "/api/v1/middling").map(\.status)
            #expect(statuses.filter { $0 == 200 }.count <= 130, "never more than the budget")
            #expect(statuses.filter { $0 == 200 }.count >= 128, "tokens reserved but unspent are at most a lease's worth")
            #expect(statuses.filter { $0 == 429 }.count == 150 - statuses.filter { $0 == 200 }.count)
            #expect(upstream.requests.count == statuses.filter { $0 == 200 }.count)
        }
    }

    static func redisCommands(_ client: any TestClientProtocol) async throws -> Int {
        let metrics = try await client.send(.get, "/metrics").body
        let line = try #require(metrics.split(separator: "\n").first { $0.hasPrefix("redis_commands_total ") })
        return try #require(Int(line.split(separator: " ")[1]))
    }
}
