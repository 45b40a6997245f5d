import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The gateway's declarative configuration: which public path prefixes go to which
/// upstream, and with what policies. Read from the JSON file named by `GATEWAY_ROUTES`, or
/// the built-in table for the full fleet. Profiles differ only by their table.
struct RouteTable: Decodable, Sendable {
    /// Upstreams by name. Fleet services need no entry (their URL comes from
    /// `<NAME>_SERVICE_URL` or the fleet's local port); others must declare a `url`.
    var upstreams: [String: UpstreamOptions] = [:]
    /// Named rate-limit policies; `default` applies when a route names none.
    var rateLimits: [String: RateLimitOptions] = [:]
    var routes: [RouteOptions]

    enum CodingKeys: String, CodingKey {
        case upstreams, rateLimits = "rate_limits", routes
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        upstreams = try container.decodeIfPresent([String: UpstreamOptions].self, forKey: .upstreams) ?? [:]
        rateLimits = try container.decodeIfPresent([String: RateLimitOptions].self, forKey: .rateLimits) ?? [:]
        routes = try container.decode([RouteOptions].self, forKey: .routes)
    }

    struct UpstreamOptions: Decodable, Sendable {
        var url: String?
        /// Attempts in all for idempotent calls (1 disables retries).
        var maxAttempts: Int?
        var maxConcurrentCalls: Int?
        /// Calls in the breaker's window before it may open, and how long it stays open.
        var breakerMinimumCalls: Int?
        var breakerOpenMilliseconds: Int?

        enum CodingKeys: String, CodingKey {
            case url, maxAttempts = "max_attempts", maxConcurrentCalls = "max_concurrent_calls"
            case breakerMinimumCalls = "breaker_minimum_calls", breakerOpenMilliseconds = "breaker_open_ms"
        }
    }

    struct RateLimitOptions: Decodable, Sendable, Equatable {
        /// Requests per minute per client IP.
        var perClient: Int
        /// Requests per minute per authenticated user, service or API key.
        var perPrincipal: Int

        enum CodingKeys: String, CodingKey {
            case perClient = "per_client_per_minute", perPrincipal = "per_principal_per_minute"
        }
    }

    enum AuthMode: String, Decodable, Sendable {
        /// No token needed; none is verified (the upstream may still check one).
        case `public`
        /// A token is verified when sent; requests without one pass.
        case optional
        /// A valid token is needed; 401 before the upstream is called.
        case required
    }

    struct RouteOptions: Decodable, Sendable {
        /// Public path prefix, e.g. `/api/v1/habits`; matched at segment boundaries.
        var prefix: String
        var upstream: String
        /// Replaces the prefix on the way to the upstream (e.g. `/habits`); `""` strips it.
        var rewrite: String?
        var auth: AuthMode = .required
        /// Methods accepted (others get 405); all of GET, HEAD, POST, PUT, PATCH, DELETE by default.
        var methods: [String]?
        /// The caller needs at least one of these roles.
        var roles: [String] = []
        /// The caller's token needs every one of these scopes.
        var scopes: [String] = []
        var rateLimit: String = "default"
        /// Cache 200 answers to GET for this long (0: no caching).
        var cacheTTLSeconds: Int = 0
        var timeoutMilliseconds: Int = 10_000
        /// Retry idempotent calls on connect failures and 502/503/504.
        var retry: Bool = true
        /// Stream request and response bodies instead of collecting them (files): memory stays
        /// bounded, nothing is retried or cached, and `timeout_ms` is the longest time without
        /// a byte moving, not a deadline for the whole call.
        var stream: Bool = false

        enum CodingKeys: String, CodingKey {
            case prefix, upstream, rewrite, auth, methods, roles, scopes, retry, stream
            case rateLimit = "rate_limit", cacheTTLSeconds = "cache_ttl_seconds", timeoutMilliseconds = "timeout_ms"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            prefix = try container.decode(String.self, forKey: .prefix)
            upstream = try container.decode(String.self, forKey: .upstream)
            rewrite = try container.decodeIfPresent(String.self, forKey: .rewrite)
            auth = try container.decodeIfPresent(AuthMode.self, forKey: .auth) ?? .required
            methods = try container.decodeIfPresent([String].self, forKey: .methods)
            roles = try container.decodeIfPresent([String].self, forKey: .roles) ?? []
            scopes = try container.decodeIfPresent([String].self, forKey: .scopes) ?? []
            rateLimit = try container.decodeIfPresent(String.self, forKey: .rateLimit) ?? "default"
            cacheTTLSeconds = try container.decodeIfPresent(Int.self, forKey: .cacheTTLSeconds) ?? 0
            timeoutMilliseconds = try container.decodeIfPresent(Int.self, forKey: .timeoutMilliseconds) ?? 10_000
            retry = try container.decodeIfPresent(Bool.self, forKey: .retry) ?? true
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        }
    }

    /// The table's default rate limits: the watch-store seed's 100 requests per minute per IP.
    static let defaultRateLimit = RateLimitOptions(perClient: 100, perPrincipal: 1000)

    /// Parse a table from JSON; a syntax or shape error names where it is.
    static func parse(_ json: String, source: String) throws(RouteTableError) -> RouteTable {
        do {
            return try JSONDecoder().decode(RouteTable.self, from: Data(json.utf8))
        } catch let error as DecodingError {
            throw RouteTableError(source: source, problems: [Self.describe(error)])
        } catch {
            throw RouteTableError(source: source, problems: ["not valid JSON: \(error)"])
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath)).\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

/// Why a route table was refused, with every problem found.
struct RouteTableError: Error, CustomStringConvertible {
    let source: String
    let problems: [String]

    var description: String {
        "invalid gateway route table (\(source)):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
