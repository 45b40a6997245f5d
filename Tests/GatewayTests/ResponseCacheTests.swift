@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What the gateway caches is bounded by the upstream's own headers and dropped by a write
/// through the gateway.
@Suite("gateway: response cache freshness")
struct ResponseCacheTests {
    @Test func aWriteThroughTheGatewayInvalidatesWhatItCachedForTheRoute() async throws {
        try await GatewayHarness.run { client, upstream, issuer in
            let token = try await issuer.token(subject: "alice")
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            for path in ["/api/v1/cached/products/p1", "/api/v1/cached/products?brand=x"] {
                _ = try await client.send(.get, path, headers: auth)
                #expect(try await client.send(.get, path, headers: auth).headers[.xCache] == "HIT")
            }
            let anonymous = try await client.send(.get, "/api/v1/cached/products/p1")
            #expect(try await client.send(.get, "/api/v1/cached/products/p1").headers[.xCache] == "HIT")

            let write = try await client.send(.patch, "/api/v1/cached/products/p1/inventory", headers: auth, body: #"{"quantity":1}"#)
            #expect(write.status == .ok)
            let requestsBefore = upstream.requests.count
            for path in ["/api/v1/cached/products/p1", "/api/v1/cached/products?brand=x"] {
                let fresh = try await client.send(.get, path, headers: auth)
                #expect(fresh.headers[.xCache] == "MISS", "\(path) is fetched again after the write")
            }
            let anonymousAgain = try await client.send(.get, "/api/v1/cached/products/p1")
            #expect(anonymousAgain.headers[.xCache] == "MISS", "every caller's entry for the route is dropped")
            #expect(anonymousAgain.body != anonymous.body, "a fresh answer (the echo counts requests)")
            #expect(upstream.requests.count == requestsBefore + 3)
            #expect(try await client.send(.get, "/api/v1/cached/products/p1", headers: auth).headers[.xCache] == "HIT", "and is cached again")
        }
    }

    @Test func theUpstreamsCacheControlAndVaryBoundWhatIsCached() async throws {
        try await GatewayHarness.run { client, _, _ in
            for path in ["/api/v1/cached/cache-control/max-age%3D0", "/api/v1/cached/vary/%2A", "/api/v1/cached/vary/Accept-Language"] {
                _ = try await client.send(.get, path)
                #expect(try await client.send(.get, path).headers[.xCache] == "MISS", "\(path) is not cached")
            }
            let encoding = "/api/v1/cached/vary/Accept-Encoding"
            _ = try await client.send(.get, encoding)
            #expect(try await client.send(.get, encoding).headers[.xCache] == "HIT", "a Vary on Accept-Encoding alone is cacheable")

            // max-age=1 bounds the route's 60 s: the entry is gone long before the route's TTL.
            let short = "/api/v1/cached/cache-control/max-age%3D1"
            _ = try await client.send(.get, short)
            try await waitUntil("the max-age=1 entry expires", ceiling: .seconds(30)) {
                try await client.send(.get, short).headers[.xCache] == "MISS"
            }
        }
    }

    @Test func cacheLifetimeFollowsTheDirectives() {
        func lifetime(_ headers: [(String, String)], status: Int = 200) -> Duration? {
            ResponseCache.cacheLifetime(HTTPClientResponse(status: status, headers: headers, body: []), routeTTL: .seconds(60))
        }
        #expect(lifetime([]) == .seconds(60))
        #expect(lifetime([("Cache-Control", "public, max-age=5")]) == .seconds(5))
        #expect(lifetime([("Cache-Control", "max-age=600")]) == .seconds(60), "never longer than the route's TTL")
        #expect(lifetime([("Cache-Control", "max-age=30, s-maxage=10")]) == .seconds(10), "s-maxage wins for a shared cache")
        #expect(lifetime([("Cache-Control", "max-age=0")]) == nil)
        #expect(lifetime([("Cache-Control", "no-cache")]) == nil)
        #expect(lifetime([("Vary", "Accept-Encoding, Authorization")]) == nil)
        #expect(lifetime([], status: 201) == nil)
    }
}
