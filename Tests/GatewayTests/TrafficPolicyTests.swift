@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("gateway: rate limits, cache, CORS, security headers, limits")
struct TrafficPolicyTests {
    @Test func theClientBudgetIsExactUnderConcurrency() async throws {
        try await GatewayHarness.run { client, upstream, _ in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, HTTPFields).self) { group in
                for _ in 0..<12 {
                    group.addTask { let reply = try await client.send(.get, "/api/v1/limited"); return (reply.status, reply.headers) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == .ok }.count == 5)
            #expect(statuses.filter { $0.0 == .tooManyRequests }.count == 7)
            #expect(upstream.requests.count == 5)
            for (status, headers) in statuses {
                #expect(headers[.rateLimitLimit] == "5")
                #expect(headers[.rateLimitRemaining] != nil && headers[.rateLimitReset] != nil)
                if status == .tooManyRequests {
                    #expect(headers[.rateLimitRemaining] == "0")
                    #expect(Int(headers[.retryAfter] ?? "") ?? 0 >= 1)
                }
            }
            let denied = try await client.send(.get, "/api/v1/limited")
            #expect(denied.body.contains(#""error":"rate_limited""#))
            // Other routes have their own budget.
            #expect(try await client.send(.get, "/api/v1/open").status == .ok)
        }
    }

    @Test func eachPrincipalHasItsOwnBudget() async throws {
        try await GatewayHarness.run(environment: ["TRUSTED_PROXIES": "127.0.0.1"]) { client, _, issuer in
            let alice = try await issuer.token(subject: "alice")
            let bob = try await issuer.token(subject: "bob")
            func call(_ token: String, from ip: String) async throws -> HTTPResponse.Status {
                try await client.send(.get, "/api/v1/limited", headers: [.authorization: "Bearer \(token)", .xForwardedFor: ip]).status
            }
            // Different client addresses, so only the per-principal budget (3) binds.
            for index in 1...3 { #expect(try await call(alice, from: "198.51.100.\(index)") == .ok) }
            #expect(try await call(alice, from: "198.51.100.9") == .tooManyRequests)
            #expect(try await call(bob, from: "198.51.100.10") == .ok)
        }
    }

    @Test func theLimiterFailsOpenWhenRedisIsDown() async throws {
        let redis = try await PrivateRedis()
        try await GatewayHarness.run(environment: ["REDIS_URL": redis.url, "REDIS_TIMEOUT_SECONDS": "0.2"]) { client, upstream, _ in
            #expect(try await client.send(.get, "/api/v1/limited").headers[.rateLimitLimit] == "5")
            redis.stop()
            for _ in 0..<8 {
                let reply = try await client.send(.get, "/api/v1/limited")
                #expect(reply.status == .ok)
                #expect(reply.headers[.rateLimitLimit] == nil)
            }
            #expect(upstream.requests.count == 9)
            let health = try await client.send(.get, "/health")
            #expect(health.status == .ok, "Redis is optional: warn, not fail")
            #expect(health.body.contains(#""status":"warn""#))
            #expect(health.body.contains("ratelimit:redis"))
            #expect(try await client.send(.get, "/ready").status == .ok)
        }
    }

    @Test func theLimiterCanFailClosed() async throws {
        let redis = try await PrivateRedis()
        redis.stop()
        try await GatewayHarness.run(environment: ["REDIS_URL": redis.url, "REDIS_TIMEOUT_SECONDS": "0.2", "GATEWAY_RATE_LIMIT_FAIL_OPEN": "false"]) { client, upstream, _ in
            let reply = try await client.send(.get, "/api/v1/limited")
            #expect(reply.status == .serviceUnavailable)
            #expect(upstream.requests.isEmpty)
        }
    }

    @Test func getResponsesAreCachedPerCallerUnlessTheUpstreamSaysNo() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let first = try await client.send(.get, "/api/v1/cached/item?id=1")
            let second = try await client.send(.get, "/api/v1/cached/item?id=1")
            #expect(first.headers[.xCache] == "MISS")
            #expect(second.headers[.xCache] == "HIT")
            #expect(second.body == first.body)
            #expect(second.headers[HTTPField.Name("X-Upstream")!] == "echo", "cached headers are replayed")
            #expect(try await client.send(.get, "/api/v1/cached/item?id=2").headers[.xCache] == "MISS", "the query is part of the key")
            #expect(upstream.requests.count == 2)

            let alice = try await issuer.token(subject: "alice")
            let bob = try await issuer.token(subject: "bob")
            let aliceFirst = try await client.send(.get, "/api/v1/cached/item?id=1", headers: [.authorization: "Bearer \(alice)"])
            #expect(aliceFirst.headers[.xCache] == "MISS", "an authenticated caller never gets the anonymous entry")
            #expect(try await client.send(.get, "/api/v1/cached/item?id=1", headers: [.authorization: "Bearer \(bob)"]).headers[.xCache] == "MISS")
            #expect(try await client.send(.get, "/api/v1/cached/item?id=1", headers: [.authorization: "Bearer \(alice)"]).headers[.xCache] == "HIT")

            for path in ["/api/v1/cached/no-store", "/api/v1/cached/private", "/api/v1/cached/status/404"] {
                _ = try await client.send(.get, path)
                #expect(try await client.send(.get, path).headers[.xCache] == "MISS", "\(path) is not cached")
            }
            #expect(try await client.send(.post, "/api/v1/cached/item", body: "{}").headers[.xCache] == nil, "only GET is cached")
        }
    }

    @Test func corsPreflightAndSimpleRequests() async throws {
        try await GatewayHarness.run { client, upstream, _ in
            let preflight = try await client.send(.options, "/api/v1/items", headers: [
                .origin: "https://app.example.com", .accessControlRequestMethod: "POST", .accessControlRequestHeaders: "authorization, content-type",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            #expect(preflight.headers[.accessControlMaxAge] == "600")
            #expect(preflight.headers[.vary] == "Origin")
            #expect(upstream.requests.isEmpty, "preflights are answered by the gateway, without a token")

            let foreign = try await client.send(.options, "/api/v1/items", headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(foreign.status == .forbidden)
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)

            let simple = try await client.send(.get, "/api/v1/open", headers: [.origin: "https://app.example.com"])
            #expect(simple.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(simple.headers[.accessControlExposeHeaders]?.contains("X-RateLimit-Remaining") == true)
            let rejected = try await client.send(.get, "/api/v1/items", headers: [.origin: "https://app.example.com"])
            #expect(rejected.status == .unauthorized)
            #expect(rejected.headers[.accessControlAllowOrigin] == "https://app.example.com", "errors carry CORS headers too, so browsers can read them")
        }
    }

    @Test func securityHeadersOnEveryResponse() async throws {
        try await GatewayHarness.run { client, _, _ in
            for path in ["/api/v1/open", "/api/v1/items", "/nowhere", "/live"] {
                let reply = try await client.send(.get, path)
                #expect(reply.headers[.xContentTypeOptions] == "nosniff", "\(path)")
                #expect(reply.headers[.xFrameOptions] == "DENY", "\(path)")
                #expect(reply.headers[.referrerPolicy] == "no-referrer", "\(path)")
                #expect(reply.headers[.strictTransportSecurity] == "max-age=600; includeSubDomains", "\(path)")
                #expect(reply.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'none'") == true, "\(path)")
                #expect(reply.headers[.server].map { !$0.contains("0.") } ?? true, "no version in Server")
            }
            let docs = try await client.send(.get, "/api/docs")
            #expect(docs.headers[.contentSecurityPolicy]?.contains("script-src https://cdn.jsdelivr.net") == true)
            // An upstream's own values give way to the gateway's, each header once.
            let framed = try await client.send(.get, "/api/v1/open/framed")
            #expect(framed.status == .ok)
            #expect(framed.headers[values: .xFrameOptions] == ["DENY"])
            #expect(framed.headers[values: .xContentTypeOptions] == ["nosniff"])
            #expect(framed.headers[.server].map { !$0.contains("9.9.9") } ?? true, "the upstream's Server is not passed on: \(framed.headers)")
            #expect(framed.headers[HTTPField.Name("X-Upstream")!] == "echo", "the upstream's other headers are kept")
        }
    }

    @Test func oversizedRequestsAreRefusedBeforeProxying() async throws {
        try await GatewayHarness.run(environment: ["MAX_BODY_BYTES": "2048", "GATEWAY_MAX_URL_BYTES": "512", "GATEWAY_MAX_HEADER_BYTES": "2048"]) { client, upstream, _ in
            let body = try await client.send(.post, "/api/v1/open", headers: [.contentType: "application/json"], body: String(repeating: "x", count: 4096))
            #expect(body.status == .contentTooLarge)
            #expect(body.body.contains("payload_too_large"))
            let url = try await client.send(.get, "/api/v1/open/" + String(repeating: "a", count: 600))
            #expect(url.status == .uriTooLong)
            let headers = try await client.send(.get, "/api/v1/open", headers: [HTTPField.Name("X-Big")!: String(repeating: "h", count: 3000)])
            #expect(headers.status == .requestHeaderFieldsTooLarge)
            #expect(upstream.requests.isEmpty)
        }
    }
}
