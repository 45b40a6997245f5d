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
/// 200s without `Cache-Control: no-store` or `private` are stored. A Redis failure is a
/// miss, never an error.
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

    func lookup(_ key: String) async -> HTTPClientResponse? {
        do {
            guard let text = try await client.send("GET", key).string,
                let entry = try? JSONDecoder().decode(Entry.self, from: Data(text.utf8)),
                let body = Data(base64Encoded: entry.body)
            else { return nil }
            return HTTPClientResponse(status: entry.status, headers: entry.headers.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, body: Array(body))
        } catch {
            logger.debug("response cache unavailable", metadata: ["error.description": "\(error)"])
            return nil
        }
    }

    /// Store `response` for `ttl` when it may be cached.
    func store(_ response: HTTPClientResponse, key: String, ttl: Duration) async {
        guard Self.isCacheable(response) else { return }
        let entry = Entry(status: response.status, headers: response.headers.map { [$0.0, $0.1] }, body: Data(response.body).base64EncodedString())
        guard let data = try? JSONEncoder().encode(entry) else { return }
        do {
            _ = try await client.send("SET", key, String(decoding: data, as: UTF8.self), "PX", String(ttl.wholeMilliseconds))
        } catch {
            logger.debug("response cache unavailable", metadata: ["error.description": "\(error)"])
        }
    }

    static func isCacheable(_ response: HTTPClientResponse) -> Bool {
        guard response.status == 200, response.body.count <= maxEntryBytes else { return false }
        let directives = (response.header("Cache-Control") ?? "").lowercased().split(separator: ",").map { $0.trimmingWhitespace() }
        return !directives.contains { $0 == "no-store" || $0 == "private" || $0 == "no-cache" }
    }
}
