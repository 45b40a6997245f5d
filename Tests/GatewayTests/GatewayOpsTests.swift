@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("gateway: ops, metrics and its own document")
struct GatewayOpsTests {
    @Test func metricsCountRoutedRequestsAndPassPromtool() async throws {
        try await GatewayHarness.run { client, _, _ in
            _ = try await client.send(.get, "/api/v1/open/a")
            _ = try await client.send(.get, "/api/v1/items/1")
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.body.contains(#"gateway_requests_total{route="/api/v1/open",upstream="echo",status="200"} 1"#))
            #expect(metrics.body.contains(#"gateway_requests_total{route="/api/v1/items",upstream="echo",status="401"} 1"#))
            #expect(metrics.body.contains(#"http_client_requests_total{upstream="echo""#))
            // The kit's RED metrics label proxied requests by their route-table prefix too.
            #expect(metrics.body.contains(#"http_server_requests_total{method="GET",route="/api/v1/open",status="200"} 1"#))
            #expect(metrics.body.contains(#"http_server_requests_total{method="GET",route="/api/v1/items",status="401"} 1"#))
            _ = try await client.send(.get, "/nowhere")
            #expect(try await client.send(.get, "/metrics").body.contains(#"http_server_requests_total{method="GET",route="unmatched",status="404"} 1"#))
            let lint = try await Promtool.checkMetrics(metrics.body)
            #expect(lint.status == 0 && lint.findings.isEmpty, "promtool: \(lint.findings)")
        }
    }

    @Test func itsOwnRoutesAreDocumented() async throws {
        let configuration = try GatewayHarness.configuration(["REDIS_URL": try TestRedis.url()])
        let application = buildApplication(configuration, httpClient: GatewayHarness.client)
        #expect(application.routes.contains(DeclaredRoute(method: .get, path: "/api/docs")))
        let mismatches = try OpenAPICoverage.mismatches(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json)
        #expect(mismatches.isEmpty, "\(mismatches)")
        let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/Gateway/openapi.yaml").standardized.path
        let validation = try await OpenAPIValidator.validate(path: specPath)
        #expect(validation.status == 0, "\(validation.findings)")
    }
}
