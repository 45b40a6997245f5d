@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A gateway in-process over real HTTP, in front of a ``RecordingUpstream`` and a JWKS
/// server, with Redis keys of its own. Routes (under `/api/v1/...`, upstream `echo`):
/// `open` public; `items` required; `maybe` optional; `admin` needs role admin; `scoped`
/// needs scope `things:write`; `cached` caches GETs 60 s; `limited` allows 5 requests a
/// minute per client and 3 per principal; `roomy` 6400 and `middling` 130 per client (both
/// large enough for admission leases); `quick` times out after 300 ms; `getonly` GET only.
struct GatewayHarness {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "gateway-tests/1.0"))

    static func table(echoURL: String, extraUpstreams: String = "", extraRoutes: String = "") -> String {
        """
        {
          "upstreams": {"echo": {"url": "\(echoURL)", "max_attempts": 1, "breaker_minimum_calls": 4, "breaker_open_ms": 500}\(extraUpstreams)},
          "rate_limits": {
            "tight": {"per_client_per_minute": 5, "per_principal_per_minute": 3},
            "roomy": {"per_client_per_minute": 6400, "per_principal_per_minute": 6400},
            "middling": {"per_client_per_minute": 130, "per_principal_per_minute": 130}
          },
          "routes": [
            {"prefix": "/api/v1/open", "upstream": "echo", "rewrite": "", "auth": "public"},
            {"prefix": "/api/v1/items", "upstream": "echo", "rewrite": "/things"},
            {"prefix": "/api/v1/maybe", "upstream": "echo", "rewrite": "", "auth": "optional"},
            {"prefix": "/api/v1/admin", "upstream": "echo", "rewrite": "", "roles": ["admin"]},
            {"prefix": "/api/v1/scoped", "upstream": "echo", "rewrite": "", "scopes": ["things:write"]},
            {"prefix": "/api/v1/cached", "upstream": "echo", "rewrite": "", "auth": "optional", "cache_ttl_seconds": 60},
            {"prefix": "/api/v1/limited", "upstream": "echo", "rewrite": "", "auth": "optional", "rate_limit": "tight"},
            {"prefix": "/api/v1/roomy", "upstream": "echo", "rewrite": "", "auth": "public", "rate_limit": "roomy"},
            {"prefix": "/api/v1/middling", "upstream": "echo", "rewrite": "", "auth": "public", "rate_limit": "middling"},
            {"prefix": "/api/v1/quick", "upstream": "echo", "rewrite": "", "auth": "public", "timeout_ms": 300},
            {"prefix": "/api/v1/getonly", "upstream": "echo", "rewrite": "", "auth": "public", "methods": ["GET"]},
            {"prefix": "/things", "upstream": "echo", "auth": "public"}\(extraRoutes)
          ]
        }
        """
    }

    /// Run upstream, JWKS server and gateway; `body` gets the gateway client, the upstream
    /// and the token issuer.
    static func run(
        environment overrides: [String: String] = [:],
        extraUpstreams: String = "", extraRoutes: String = "",
        _ body: @escaping @Sendable (any TestClientProtocol, RecordingUpstream, TestTokenIssuer) async throws -> Void
    ) async throws {
        let upstream = RecordingUpstream()
        let issuer = try await TestTokenIssuer()
        try await upstream.application.application.test(.live) { upstreamClient in
            try await issuer.jwksServer().application.test(.live) { jwksClient in
                let echoURL = "http://127.0.0.1:\(try #require(upstreamClient.port))"
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("routes-\(UUID().uuidString).json").path
                try table(echoURL: echoURL, extraUpstreams: extraUpstreams, extraRoutes: extraRoutes).write(toFile: file, atomically: true, encoding: .utf8)
                var values = [
                    "GATEWAY_ROUTES": file,
                    "REDIS_URL": try TestRedis.url(),
                    "AUTH_SERVICE_URL": "http://127.0.0.1:\(try #require(jwksClient.port))",
                    "GATEWAY_HSTS_MAX_AGE_SECONDS": "600",
                    "CORS_ALLOWED_ORIGINS": "https://app.example.com",
                ]
                values.merge(overrides) { $1 }
                let configuration = try configuration(values)
                let gateway = buildApplication(configuration, httpClient: Self.client)
                try await gateway.test(.live) { client in
                    try await body(client, upstream, issuer)
                }
            }
        }
    }

    static func configuration(_ values: [String: String]) throws -> GatewayConfiguration {
        var environment = EnvironmentReader(values)
        var configuration = GatewayConfiguration(environment: &environment)
        try environment.validate()
        var service = ServiceConfiguration.testing(name: "gateway")
        service.maxBodyBytes = configuration.service.maxBodyBytes
        service.trustedProxies = configuration.service.trustedProxies
        configuration.service = service
        // Each run gets its own Redis keys, so limits and cache entries never leak between tests.
        configuration.redisKeyPrefix = "test:gw:\(UUID().uuidString.prefix(8)):"
        return configuration
    }
}

extension TestClientProtocol {
    /// `execute` with a string body and the body read back as a string.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: String? = nil
    ) async throws -> (status: HTTPResponse.Status, headers: HTTPFields, body: String) {
        try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            (response.status, response.headers, String(buffer: response.body))
        }
    }
}
