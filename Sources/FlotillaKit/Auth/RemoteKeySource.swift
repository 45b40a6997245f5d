import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The auth service's JWKS, fetched over the kit's HTTP client and cached.
///
/// A cached key is used until the cache is `maxAge` old; a `kid` the cache does not know
/// triggers a refetch, but at most once per `minRefreshInterval`, so a flood of tokens with
/// made-up `kid`s cannot turn into a flood of JWKS requests. When a refetch fails, the
/// keys already cached keep working.
public actor RemoteKeySource: VerificationKeySource {
    let upstream: Upstream
    let path: String
    let algorithms: Set<String>
    let minRefreshInterval: Duration
    let maxAge: Duration
    let logger: Logger
    var keys: [String: VerificationKey] = [:]
    var fetchedAt: ContinuousClock.Instant?
    var lastAttempt: ContinuousClock.Instant?
    /// The fetch in progress, which concurrent callers wait for instead of failing.
    var refreshing: Task<Void, any Error>?

    public init(
        upstream: Upstream, path: String = "/.well-known/jwks.json", algorithms: Set<String>,
        minRefreshInterval: Duration, maxAge: Duration, logger: Logger
    ) {
        self.upstream = upstream
        self.path = path
        self.algorithms = algorithms
        self.minRefreshInterval = minRefreshInterval
        self.maxAge = maxAge
        self.logger = logger
    }

    public func key(for kid: String) async throws(TokenRejection) -> VerificationKey? {
        let now = ContinuousClock.now
        let stale = fetchedAt.map { now - $0 >= maxAge } ?? true
        let mayRefetch = lastAttempt.map { now - $0 >= minRefreshInterval } ?? true
        if let key = keys[kid], !stale || !mayRefetch { return key }
        if let refreshing {
            _ = try? await refreshing.value
        } else if mayRefetch {
            lastAttempt = now
            let fetch = Task { try await self.refresh() }
            refreshing = fetch
            do {
                try await fetch.value
            } catch {
                logger.warning("cannot fetch JWKS", metadata: ["upstream": "\(upstream.name)", "error.description": "\(error)"])
            }
            refreshing = nil
        }
        if let key = keys[kid] { return key }
        if fetchedAt == nil { throw .keysUnavailable }
        return nil
    }

    func refresh() async throws {
        let response = try await upstream.execute("GET", path, headers: [("Accept", "application/json")])
        guard response.status == 200 else {
            throw JWKSFetchError(status: response.status)
        }
        let keySet = try JSONDecoder().decode(JSONWebKeySet.self, from: Data(response.body))
        var fresh = [String: VerificationKey]()
        for jwk in keySet.keys {
            if let key = await jwk.verificationKey(accepting: algorithms) { fresh[key.kid] = key }
        }
        keys = fresh
        fetchedAt = .now
        logger.debug("JWKS refreshed", metadata: ["keys": "\(fresh.keys.sorted())"])
    }
}

/// The JWKS endpoint answered with something other than 200.
struct JWKSFetchError: Error, CustomStringConvertible {
    let status: Int
    var description: String { "JWKS endpoint answered \(status)" }
}
