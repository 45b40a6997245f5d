import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Upstream resilience against a real server")
struct UpstreamTests {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "upstream-tests/1.0"))

    func policy(_ adjust: (inout Upstream.Policy) -> Void = { _ in }) -> Upstream.Policy {
        var policy = Upstream.Policy()
        policy.retry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        policy.breaker.windowSize = 10
        policy.breaker.minimumCalls = 4
        policy.breaker.openDuration = .milliseconds(500)
        policy.breaker.halfOpenCalls = 2
        // A deadline no loaded machine reaches: the tests that check deadlines pass their own.
        policy.timeout = .seconds(60)
        adjust(&policy)
        return policy
    }

    func withUpstream(
        _ policy: Upstream.Policy,
        metrics: MetricsRegistry = MetricsRegistry(service: "t", version: "1"),
        _ body: @Sendable (UpstreamServer, Upstream) async throws -> Void
    ) async throws {
        let server = UpstreamServer()
        try await server.application.application.test(.live) { client in
            let upstream = Upstream(
                name: "catalog", baseURL: "http://127.0.0.1:\(try #require(client.port))", policy: policy,
                client: Self.client, metrics: metrics, logger: Logger(configuration: .testing()))
            try await body(server, upstream)
        }
    }

    @Test func retriesIdempotentCallsOnRetryableStatuses() async throws {
        try await withUpstream(policy()) { server, upstream in
            server.failNext(2)
            let response = try await upstream.execute("GET", "/flaky")
            #expect(response.status == 200)
            #expect(server.requestCount == 3)
        }
    }

    @Test func neverRetriesNonIdempotentCalls() async throws {
        try await withUpstream(policy()) { server, upstream in
            server.failNext(2)
            let response = try await upstream.execute("POST", "/flaky")
            #expect(response.status == 503)
            #expect(server.requestCount == 1)
            // ...unless the caller marks the call idempotent.
            server.failNext(1)
            let reply1 = try await upstream.execute("POST", "/flaky", idempotent: true)
            #expect(reply1.status == 200)
        }
    }

    @Test func givesUpAfterMaxAttemptsAndReturnsTheLastResponse() async throws {
        try await withUpstream(policy()) { server, upstream in
            server.failNext(10)
            let reply2 = try await upstream.execute("GET", "/flaky")
            #expect(reply2.status == 503)
            #expect(server.requestCount == 3)
        }
    }

    @Test func honoursRetryAfterWithinTheDeadline() async throws {
        try await withUpstream(policy()) { server, upstream in
            let started = ContinuousClock.now
            let reply3 = try await upstream.execute("GET", "/status/429?retry_after=1", timeout: .seconds(15))
            #expect(reply3.status == 429)
            #expect(server.requestCount == 3)
            #expect(ContinuousClock.now - started >= .seconds(2))
            // A Retry-After past the deadline is not waited for.
            let quick = ContinuousClock.now
            let reply4 = try await upstream.execute("GET", "/status/429?retry_after=30", timeout: .seconds(2))
            #expect(reply4.status == 429)
            #expect(ContinuousClock.now - quick < .seconds(10), "not the 30 s Retry-After")
        }
    }

    @Test func breakerOpensFailsFastAndRecoversHalfOpen() async throws {
        let metrics = MetricsRegistry(service: "t", version: "1")
        // Open long enough that the fail-fast check below cannot outlast it on a loaded machine.
        let open = Duration.seconds(5)
        try await withUpstream(policy { $0.retry = .none; $0.breaker.openDuration = open }, metrics: metrics) { server, upstream in
            server.failNext(4)
            for _ in 0..<4 { _ = try await upstream.execute("GET", "/flaky") }
            #expect(upstream.breakerState.name == "open")
            // Open: no network call is made.
            let before = server.requestCount
            let error = await #expect(throws: HTTPClientError.self) { try await upstream.execute("GET", "/flaky") }
            #expect(error?.kind == .circuitOpen)
            #expect(server.requestCount == before)
            #expect(metrics.exposition().contains(#"circuit_breaker_state{upstream="catalog"} 2"#))
            // Once the open interval has passed, the first call is a trial and its success closes it.
            try await Task.sleep(for: open)
            let reply5 = try await upstream.execute("GET", "/flaky")
            #expect(reply5.status == 200)
            #expect(upstream.breakerState == .closed)
            #expect(server.requestCount == before + 1)
            let text = metrics.exposition()
            #expect(text.contains(#"circuit_breaker_transitions_total{upstream="catalog",to="open"} 1"#))
            #expect(text.contains(#"circuit_breaker_transitions_total{upstream="catalog",to="closed"} 1"#))
            #expect(text.contains(#"http_client_requests_total{upstream="catalog",method="GET",outcome="503"} 4"#))
            #expect(text.contains(#"http_client_requests_total{upstream="catalog",method="GET",outcome="circuit_open"} 1"#))
            let lint = try await Promtool.checkMetrics(text)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
        }
    }

    @Test func slowCallsOpenTheBreaker() async throws {
        let slowPolicy = policy {
            $0.retry = .none
            $0.breaker.slowCallDuration = .milliseconds(100)
            $0.breaker.slowCallRateThreshold = 1.0
        }
        try await withUpstream(slowPolicy) { _, upstream in
            for _ in 0..<4 {
                let reply = try await upstream.execute("GET", "/slow/150")
                #expect(reply.status == 200)
            }
            #expect(upstream.breakerState.name == "open")
        }
    }

    @Test func bulkheadRejectsWhenFull() async throws {
        try await withUpstream(policy { $0.maxConcurrentCalls = 2 }) { server, upstream in
            defer { server.release() }
            let slow = (0..<2).map { _ in Task { try await upstream.execute("GET", "/held") } }
            try await waitUntil("both calls reached the server") { server.heldCount == 2 }
            let error = await #expect(throws: HTTPClientError.self) { try await upstream.execute("GET", "/bytes/1") }
            #expect(error?.kind == .bulkheadFull)
            server.release()
            for call in slow {
                let reply = try await call.value
                #expect(reply.status == 200)
            }
            let reply7 = try await upstream.execute("GET", "/bytes/1")
            #expect(reply7.status == 200)
        }
    }

    @Test func openBreakerWarnsInHealthButKeepsReady() async throws {
        let app = KitTestApplication { runtime, _ in
            let upstream = runtime.makeUpstream(
                "orders", defaultURL: "http://127.0.0.1:1", environment: EnvironmentReader(["ORDERS_SERVICE_URL": "http://127.0.0.1:\((try? FreePort.allocate()) ?? 9)"]),
                client: Self.client, policy: policy { $0.retry = .none })
            Task { for _ in 0..<4 { _ = try? await upstream.execute("GET", "/") } }
            return []
        }
        try await app.application.test(.router) { client in
            // The four refused calls open the breaker in the background; wait for it.
            var body = ""
            let deadline = ContinuousClock.now + .seconds(60)
            while !body.contains(#""status":"warn""#), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                body = try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    return String(buffer: response.body)
                }
            }
            #expect(body.contains(#""status":"warn""#))
            #expect(body.contains("upstream:orders"))
            try await client.execute(uri: "/ready", method: .get) { #expect($0.status == .ok) }
        }
    }
}
