import FlotillaKit
import FlotillaKitTesting
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Metrics endpoint")
struct MetricsEndpointTests {
    static func appWithItems() -> KitTestApplication {
        KitTestApplication(configure: { $0.identity = ServiceIdentity(name: "orders", version: "3.1.0", defaultPort: 0) }) { router in
            router.get("/items/{id}") { _, context in try context.parameters.require("id") }
            router.get("/boom") { _, _ -> String in throw APIError(.conflict, code: "conflict", message: "x") }
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func exposesTheRequiredFamilies(_ setup: TestingSetup) async throws {
        let app = Self.appWithItems()
        try await app.application.test(setup) { client in
            try await client.execute(uri: "/items/42", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/items/43", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/boom", method: .get) { #expect($0.status == .conflict) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                let text = String(buffer: response.body)
                for family in [
                    "http_server_requests_total", "http_server_request_duration_seconds_bucket",
                    "http_server_requests_in_flight", "process_cpu_seconds_total", "process_resident_memory_bytes",
                    "process_open_fds", "process_start_time_seconds",
                ] {
                    #expect(text.contains("\n\(family)"), "missing \(family)")
                }
                #expect(text.contains(#"flotilla_build_info{service="orders",version="3.1.0"} 1"#))
                // Two requests to different ids are one series under the route template.
                #expect(text.contains(#"http_server_requests_total{method="GET",route="/items/{id}",status="200"} 2"#))
                #expect(text.contains(#"http_server_requests_total{method="GET",route="/boom",status="409"} 1"#))
                #expect(!text.contains("/items/42"))
            }
        }
    }

    @Test func unmatchedPathsShareOneLabel() async throws {
        let app = Self.appWithItems()
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/no/such/\(Int.random(in: 1...1_000_000))", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains(#"http_server_requests_total{method="GET",route="unmatched",status="404"} 1"#))
                #expect(!text.contains("/no/such"))
            }
        }
    }

    @Test func expositionPassesPromtool() async throws {
        let app = Self.appWithItems()
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/items/1", method: .get) { _ in }
            try await client.execute(uri: "/nope", method: .post) { _ in }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let result = try await Promtool.checkMetrics(String(buffer: response.body))
                #expect(result.status == 0, "promtool: \(result.findings)")
                #expect(result.findings.isEmpty, "promtool findings: \(result.findings)")
            }
        }
    }
}
