@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("gateway: routing and headers")
struct RoutingTests {
    @Test func routesRewritesAndPassesEverythingThrough() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let token = try await issuer.token(subject: "user-1")
            let post = try await client.send(
                .post, "/api/v1/items/42/notes?sort=-created&x=%2F", headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: #"{"note":"hello"}"#)
            #expect(post.status == .ok)
            #expect(post.headers[HTTPField.Name("X-Upstream")!] == "echo", "upstream headers come back")
            #expect(post.body.contains(#""path":"/things/42/notes""#))
            let seen = try #require(upstream.requests.last)
            #expect(seen.method == "POST")
            #expect(seen.path == "/things/42/notes")
            #expect(seen.query == "sort=-created&x=%2F")
            #expect(seen.body == #"{"note":"hello"}"#)
            #expect(seen.headers[.authorization] == "Bearer \(token)", "the token is forwarded for the upstream to verify")

            let status = try await client.send(.get, "/api/v1/open/status/418")
            #expect(status.status.code == 418, "upstream statuses pass through")
            let root = try await client.send(.get, "/api/v1/open")
            #expect(root.body.contains(#""path":"/""#), "an empty rewrite maps the prefix itself to /")
            let alias = try await client.send(.get, "/things/7")
            #expect(alias.body.contains(#""path":"/things/7""#), "a route without rewrite keeps its path")
            let near = try await client.send(.get, "/api/v1/itemsx")
            #expect(near.status == .notFound, "prefixes match whole segments")
            #expect(try await client.send(.get, "/api/v2/open").status == .notFound)
        }
    }

    @Test func hopByHopAndSpoofedHeadersAreDroppedAndForwardingHeadersSet() async throws {
        try await GatewayHarness.run { client, upstream, _ in
            // curl, because the test client replaces a custom Connection header with its own.
            let reply = try await CurlCommand.get("http://127.0.0.1:\(try #require(client.port))/api/v1/open/hop", headers: [
                "Connection: keep-alive, X-Secret-Hop", "X-Secret-Hop: 1", "TE: trailers",
                "X-User-ID: admin", "X-User-Roles: admin",
                "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example",
                "X-Request-ID: gateway-test-request-1", "X-Keep: yes",
            ])
            #expect(reply.status == 200)
            let seen = try #require(upstream.requests.last)
            for name in ["X-Secret-Hop", "TE", "X-User-ID", "X-User-Roles"] {
                #expect(seen.headers[HTTPField.Name(name)!] == nil, "\(name) must not reach the upstream")
            }
            #expect(seen.headers[HTTPField.Name("X-Keep")!] == "yes")
            #expect(seen.headers[.xForwardedFor] == "127.0.0.1", "an untrusted peer's X-Forwarded-For is replaced")
            #expect(seen.headers[.xForwardedProto] == "http")
            #expect(seen.headers[.xForwardedHost] != "evil.example")
            #expect(seen.headers[.requestID] == "gateway-test-request-1", "the request id is propagated")
            #expect(seen.headers[HTTPField.Name("traceparent")!] != nil)
            // The response: the upstream's Connection-listed header is dropped, both cookies kept.
            #expect(reply.headers("X-Hop-Response").isEmpty)
            #expect(reply.headers("Set-Cookie") == ["a=1", "b=2"])
            #expect(reply.headers("X-Request-ID") == ["gateway-test-request-1"])
        }
    }

    @Test func aTrustedProxyMayNameTheClient() async throws {
        try await GatewayHarness.run(environment: ["TRUSTED_PROXIES": "127.0.0.1/32"]) { client, upstream, _ in
            _ = try await client.send(.get, "/api/v1/open", headers: [.xForwardedFor: "203.0.113.5", .xForwardedProto: "https"])
            let seen = try #require(upstream.requests.last)
            #expect(seen.headers[.xForwardedFor] == "203.0.113.5, 127.0.0.1")
            #expect(seen.headers[.xForwardedProto] == "https")
        }
    }

    @Test func methodsOutsideTheRouteAreRefused() async throws {
        try await GatewayHarness.run { client, upstream, _ in
            let post = try await client.send(.post, "/api/v1/getonly", body: "{}")
            #expect(post.status == .methodNotAllowed)
            #expect(post.headers[.allow] == "GET, HEAD")
            #expect(upstream.requests.isEmpty)
            #expect(try await client.send(.head, "/api/v1/getonly").status == .ok)
        }
    }
}
