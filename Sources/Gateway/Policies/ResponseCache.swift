import Crypto
import FlotillaKit
import HTTPTypes
import Logging
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// GET responses cached in Redis for a route's TTL, keyed by method, path, query and (on
/// routes that verify tokens) the caller, so one user never sees another's answer. Only
/// 200s without `Cache-Control: no-store`, `no-cache` or `private`, and without a `Vary`
/// on anything but `Accept-Encoding`, are stored, for at most their `max-age`/`s-maxage`.
/// A write through the gateway (any method but GET, HEAD and OPTIONS that the upstream
/// answered) invalidates everything cached for its route: each entry's key carries the route's
/// generation, which the write increments. A Redis failure is a miss, never an error.
struct ResponseCache: Sendable {
    let client: RedisClient
    let logger: Logger
    /// e.g. `flotilla:gateway:cache:`
    let prefix: String

    /// What is stored: enough to replay the response.
    struct Entry: Codable, Sendable {
        let status: Int
        let headers: [[String]]
        let body: String
    }

    static let maxEntryBytes = 1 << 20

    func key(method: String, path: String, query: String?, principal: Principal?) -> String {
        let material = [method, path, query ?? "", principal.map { "\($0.kind.rawValue):\($0.subject)" } ?? "-"].joined(separator: "\n")
        return prefix + SHA256.hash(data: Array(material.utf8)).map { String($0, radix: 16) }.joined()
    }

    /// What a lookup found: the cached response, if any, and the key a fresh response is
    /// stored under (the route's current generation), `nil` when Redis is unavailable.
    struct Lookup: Sendable {
        let response: HTTPClientResponse?
        let entryKey: String?
    }

    /// Reads the route's generation and the entry under it in one round trip.
    static let lookupScript = RedisScript("""
        local generation = redis.call('GET', KEYS[1]) or '0'
        return {generation, redis.call('GET', ARGV[1] .. ':' .. generation)}
        """)

    func lookup(_ key: String, route: GatewayRoute) async -> Lookup {
        do {
            guard let reply = try await client.run(Self.lookupScript, keys: [generationKey(route)], arguments: [key]).array,
                let generation = reply.first?.string
            else { return Lookup(response: nil, entryKey: nil) }
            let entryKey = key + ":" + generation
            guard reply.count > 1, let text = reply[1].string,
                let entry = try? JSONDecoder().decode(Entry.self, from: Data(text.utf8)),
                let body = Data(base64Encoded: entry.body)
            else { return Lookup(response: nil, entryKey: entryKey) }
            let response = HTTPClientResponse(status: entry.status, headers: entry.headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, body: Array(body))
            return Lookup(response: response, entryKey: entryKey)
        } catch {
            logger.debug("response cache unavailable", metadata: ["error.description": "\(error)"])
            return Lookup(response: nil, entryKey: nil)
        }
    }

    /// Store `response` under `key` for `ttl`, or for less when its `max-age` says so, when
    /// it may be cached at all.
    func store(_ response: HTTPClientResponse, key: String, ttl: Duration) async {
        guard let lifetime = Self.cacheLifetime(response, routeTTL: ttl) else { return }
        let entry = Entry(status: response.status, headers: response.headers.map { [$0.0, $0.1] }, body: Data(response.body).base64EncodedString())
        guard let data = try? JSONEncoder().encode(entry) else { return }
        do {
            _ = try await client.send("SET", key, String(decoding: data, as: UTF8.self), "PX", String(lifetime.wholeMilliseconds))
        } catch {
            logger.debug("response cache unavailable", metadata: ["error.description": "\(error)"])
        }
    }

    /// Make everything cached for `route` unreachable (its entries expire on their own).
    func invalidate(_ route: GatewayRoute) async {
        do {
            _ = try await client.send("INCR", generationKey(route))
        } catch {
            logger.warning("response cache not invalidated after a write", metadata: ["route": "\(route.prefix)", "error.description": "\(error)"])
        }
    }

    /// One generation per upstream path space, so aliases of it (`/products` and
    /// `/api/v1/products`, both the catalog's `/products`) are invalidated together.
    private func generationKey(_ route: GatewayRoute) -> String {
        prefix + "generation:" + route.upstream + ":" + route.rewrite
    }

    /// How long `response` may be cached on a route whose TTL is `routeTTL`: `nil` when
    /// not at all (not a 200, too large, `no-store`/`no-cache`/`private`, `max-age=0`, or a
    /// `Vary` on a request header the key does not hold).
    static func cacheLifetime(_ response: HTTPClientResponse, routeTTL: Duration) -> Duration? {
        guard response.status == 200, response.body.count <= maxEntryBytes else { return nil }
        let directives = (response.header("Cache-Control") ?? "").lowercased().split(separator: ",").map { $0.trimmingWhitespace() }
        if directives.contains(where: { $0 == "no-store" || $0 == "private" || $0 == "no-cache" }) { return nil }
        let varied = (response.header("Vary") ?? "").lowercased().split(separator: ",").map { $0.trimmingWhitespace() }
        if varied.contains(where: { !$0.isEmpty && $0 != "accept-encoding" }) { return nil }
        // s-maxage is for shared caches such as this one, and wins over max-age.
        let ages = ["s-maxage=", "max-age="].compactMap { name in
            directives.first { $0.hasPrefix(name) }.flatMap { Int($0.dropFirst(name.count)) }
        }
        guard let age = ages.first else { return routeTTL }
        guard age > 0 else { return nil }
        return min(routeTTL, .seconds(age))
    }
}
