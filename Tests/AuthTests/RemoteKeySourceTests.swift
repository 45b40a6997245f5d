@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// The kit's JWKS cache against a JWKS server whose keys the test changes.
@Suite("kit auth: remote JWKS cache")
struct RemoteKeySourceTests {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "jwks-tests/1.0"))

    /// Serves `keys` at `/.well-known/jwks.json` and counts the fetches.
    final class JWKSServer: Sendable {
        let keys: Mutex<[JSONWebKey]>
        let fetches = Atomic<Int>(0)
        init(_ keys: [JSONWebKey]) { self.keys = Mutex(keys) }

        var application: KitTestApplication {
            KitTestApplication(routes: { router in
                router.get("/.well-known/jwks.json") { _, _ in
                    self.fetches.add(1, ordering: .relaxed)
                    return JSONResponse.make(JSONWebKeySet(keys: self.keys.withLock { $0 }))
                }
            })
        }
    }

    func source(port: Int, minRefresh: Duration, maxAge: Duration) -> RemoteKeySource {
        let upstream = Upstream(
            name: "auth", baseURL: "http://127.0.0.1:\(port)", client: Self.client,
            metrics: MetricsRegistry(service: "t", version: "0"), logger: Logger(configuration: .testing()))
        return RemoteKeySource(upstream: upstream, algorithms: ["RS256", "ES256"], minRefreshInterval: minRefresh, maxAge: maxAge, logger: Logger(configuration: .testing()))
    }

    @Test func unknownKidsRefetchAtMostOncePerInterval() async throws {
        let first = try SigningKey.generate(kid: "first", algorithm: .es256)
        let second = try SigningKey.generate(kid: "second", algorithm: .es256)
        let server = JWKSServer([first.publicJWK])
        try await server.application.application.test(.live) { client in
            let keys = source(port: try #require(client.port), minRefresh: .seconds(60), maxAge: .seconds(300))
            #expect(try await keys.key(for: "first")?.algorithm == "ES256")
            #expect(server.fetches.load(ordering: .relaxed) == 1)
            for _ in 1...20 {
                let unknown = try await keys.key(for: "made-up-\(UUID())")
                #expect(unknown == nil)
            }
            #expect(server.fetches.load(ordering: .relaxed) == 1, "a flood of unknown kids refetches at most once per interval")
            server.keys.withLock { $0.append(second.publicJWK) }
            #expect(try await keys.key(for: "second") == nil, "still inside the refetch interval")
        }
    }

    @Test func aNewKidIsPickedUpAndARemovedOneDropsAfterMaxAge() async throws {
        let first = try TestKeys.rsa(kid: "first")
        let second = try SigningKey.generate(kid: "second", algorithm: .es256)
        let server = JWKSServer([first.publicJWK])
        try await server.application.application.test(.live) { client in
            let keys = source(port: try #require(client.port), minRefresh: .zero, maxAge: .milliseconds(300))
            #expect(try await keys.key(for: "first") != nil)
            server.keys.withLock { $0 = [second.publicJWK] }
            #expect(try await keys.key(for: "second") != nil, "an unknown kid triggers a refetch")
            #expect(try await keys.key(for: "first") == nil, "the refetch replaced the key set")
        }
    }

    @Test func cachedKeysOutliveAnOutageOfTheAuthService() async throws {
        let key = try SigningKey.generate(kid: "only", algorithm: .es256)
        let server = JWKSServer([key.publicJWK])
        let keys = try await server.application.application.test(.live) { client in
            let port = try #require(client.port)
            let keys = source(port: port, minRefresh: .zero, maxAge: .milliseconds(1))
            #expect(try await keys.key(for: "only") != nil)
            return keys
        }
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await keys.key(for: "only") != nil, "stale but usable while the JWKS cannot be fetched")
    }
}

extension RemoteKeySourceTests {
    @Test func concurrentFirstCallersShareOneFetch() async throws {
        let key = try SigningKey.generate(kid: "shared", algorithm: .es256)
        let server = JWKSServer([key.publicJWK])
        try await server.application.application.test(.live) { client in
            let keys = source(port: try #require(client.port), minRefresh: .seconds(60), maxAge: .seconds(300))
            let found = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<16 { group.addTask { try await keys.key(for: "shared") != nil } }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(found.allSatisfy { $0 }, "nobody is turned away while the first fetch is in flight")
            #expect(server.fetches.load(ordering: .relaxed) == 1)
        }
    }
}
