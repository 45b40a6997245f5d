@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("gateway: failing upstreams", .serialized)
struct UpstreamFailureTests {
    static func demoUpstream(url: String) -> String {
        #", "demo": {"url": "\#(url)", "max_attempts": 1, "breaker_minimum_calls": 3, "breaker_open_ms": 3000}"#
    }
    static let demoRoute = #", {"prefix": "/api/v1/demo", "upstream": "demo", "rewrite": "/echo", "auth": "public"}"#

    @Test func aKilledUpstreamIsUnavailableThenTheBreakerOpensThenItRecovers() async throws {
        let demo = try ServiceProcess(executable: "flotilla-kit-demo", environment: ["SHUTDOWN_DRAIN_SECONDS": "0"])
        try await demo.waitUntilAnswering()
        let port = demo.port
        try await GatewayHarness.run(extraUpstreams: Self.demoUpstream(url: demo.baseURL), extraRoutes: Self.demoRoute) { client, _, _ in
            let healthy = try await client.send(.get, "/api/v1/demo/ada")
            #expect(healthy.status == .ok)
            #expect(healthy.body.contains(#""echo":"ada""#))

            demo.stop()
            let down = try await client.send(.get, "/api/v1/demo/ada")
            #expect(down.status == .serviceUnavailable)
            #expect(down.body.contains(#""error":"upstream_unavailable""#))
            #expect(down.body.contains("connect_failed"))
            var reasons = [String]()
            for _ in 0..<4 {
                let reply = try await client.send(.get, "/api/v1/demo/ada")
                #expect(reply.status == .serviceUnavailable)
                reasons.append(reply.body.contains("circuit_open") ? "open" : "failed")
            }
            #expect(reasons.contains("open"), "the breaker opens after repeated failures: \(reasons)")
            let health = try await client.send(.get, "/health")
            #expect(health.body.contains("upstream:demo"))
            #expect(health.body.contains(#""status":"warn""#) && health.body.contains("circuit breaker"), "\(health.body)")
            #expect(try await client.send(.get, "/ready").status == .ok, "a dead upstream never takes the gateway out of rotation")

            // Back on the same port (ServiceProcess.port names the port it picked, not this one).
            let revived = try ServiceProcess(executable: "flotilla-kit-demo", environment: ["PORT": String(port)])
            defer { revived.stop() }
            var recovered = false
            let deadline = ContinuousClock.now + .seconds(20)
            while !recovered && ContinuousClock.now < deadline {
                recovered = try await client.send(.get, "/api/v1/demo/ada").status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(recovered, "after the open period a trial call closes the breaker again")
        }
    }

    @Test func aSlowUpstreamTimesOutAtTheRouteDeadline() async throws {
        try await GatewayHarness.run { client, _, _ in
            let started = ContinuousClock.now
            let reply = try await client.send(.get, "/api/v1/quick/slow/8000")
            let elapsed = ContinuousClock.now - started
            #expect(reply.status == .gatewayTimeout)
            #expect(reply.body.contains(#""error":"gateway_timeout""#))
            #expect(elapsed < .seconds(5), "answered at the 300 ms deadline, not after the 8 s upstream: \(elapsed)")
            #expect(try await client.send(.get, "/api/v1/quick/slow/10").status == .ok)
        }
    }

    @Test func docsAndEventCataloguesMergeTheReachableUpstreamsAndSkipADeadOne() async throws {
        let ghost = "http://127.0.0.1:\(try FreePort.allocate())"
        let upstream = #", "ghost": {"url": "\#(ghost)"}"#
        let route = #", {"prefix": "/api/v1/ghost", "upstream": "ghost", "auth": "public"}"#
        try await GatewayHarness.run(extraUpstreams: upstream, extraRoutes: route) { client, _, _ in
            let reply = try await client.send(.get, "/api/openapi.json")
            #expect(reply.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(paths["/api/v1/items/{id}"] != nil, "echo's /things/{id} under the items prefix")
            #expect(paths["/things/{id}"] != nil, "and under its alias")
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            #expect(schemas?["echo.Thing"] != nil)
            #expect(reply.body.contains(##""$ref":"#/components/schemas/echo.Thing""##))
            #expect(document["x-flotilla-skipped-upstreams"] as? [String] == ["ghost"])

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("merged-\(UUID().uuidString).json").path
            try reply.body.write(toFile: file, atomically: true, encoding: .utf8)
            let validation = try await OpenAPIValidator.validate(path: file)
            #expect(validation.status == 0, "\(validation.findings)")

            let page = try await client.send(.get, "/api/docs")
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.body.contains(#"spec-url="/api/openapi.json""#))
            #expect(page.body.contains(#"href="/api/events.json""#), "the docs page links the event catalogue")

            // The event catalogues, by service; the dead upstream is left out.
            let events = try await client.send(.get, "/api/events.json")
            #expect(events.status == .ok)
            let catalogue = try #require(try JSONSerialization.jsonObject(with: Data(events.body.utf8)) as? [String: Any])
            let services = try #require(catalogue["services"] as? [String: [String: Any]])
            #expect(Set(services.keys) == ["echo"])
            #expect((services["echo"]?["publishes"] as? [String: Any])?["thing.made"] != nil)
            #expect((catalogue["envelope"] as? String)?.contains("traceparent") == true)
        }
    }
}
