import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The gateway's settings, from the environment (see README's configuration table).
struct GatewayConfiguration: Sendable {
    var service: ServiceConfiguration
    var redis: RedisConfiguration
    var verification: TokenVerifierConfiguration
    var routes: [GatewayRoute]
    /// Upstream options from the table (retries, bulkheads, breakers).
    var upstreamOptions: [String: RouteTable.UpstreamOptions]
    /// Each routed upstream's base URL, and `auth`'s (for the JWKS): `<NAME>_SERVICE_URL`,
    /// else the table's `url`, else the fleet's local port.
    var upstreamURLs: [String: String]
    var rateLimitFailOpen: Bool
    /// Most rate-limit tokens one Redis round trip may reserve for local use (1: none).
    var rateLimitMaxLease: Int
    /// How long reserved tokens may be spent.
    var rateLimitLeaseLifetime: Duration
    var cors: CORSPolicy
    var hstsMaxAge: Duration
    var maxURLBytes: Int
    var maxHeaderBytes: Int
    /// The largest body a route collects before forwarding (`MAX_BODY_BYTES`, 1 MiB).
    var maxBufferedBodyBytes: Int
    /// The largest body a streamed route passes through (`GATEWAY_MAX_STREAMED_BODY_BYTES`, 1 GiB).
    var maxStreamedBodyBytes: Int
    /// Prefix of the gateway's Redis keys (rate-limit windows, cached responses).
    var redisKeyPrefix: String

    init(environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: GatewayApp.identity, environment: &environment)
        redis = RedisConfiguration(environment: &environment)
        verification = TokenVerifierConfiguration(environment: &environment)
        rateLimitFailOpen = environment.boolean("GATEWAY_RATE_LIMIT_FAIL_OPEN", default: true)
        rateLimitMaxLease = environment.integer("GATEWAY_RATE_LIMIT_MAX_LEASE", default: 64, in: 1...1024)
        rateLimitLeaseLifetime = .milliseconds(environment.integer("GATEWAY_RATE_LIMIT_LEASE_MS", default: 1000, in: 10...60_000))
        hstsMaxAge = environment.seconds("GATEWAY_HSTS_MAX_AGE_SECONDS", default: .seconds(31_536_000), in: 0...63_072_000)
        maxURLBytes = environment.integer("GATEWAY_MAX_URL_BYTES", default: 8192, in: 256...65_536)
        maxHeaderBytes = environment.integer("GATEWAY_MAX_HEADER_BYTES", default: 16_384, in: 1024...262_144)
        redisKeyPrefix = environment.string("GATEWAY_REDIS_PREFIX", default: "flotilla:gateway:")
        maxBufferedBodyBytes = service.maxBodyBytes
        maxStreamedBodyBytes = environment.integer("GATEWAY_MAX_STREAMED_BODY_BYTES", default: 1 << 30, in: 1024...(1 << 40))
        cors = CORSPolicy()
        cors.origins = Self.list(environment.raw("CORS_ALLOWED_ORIGINS")) ?? []
        cors.methods = Self.list(environment.raw("CORS_ALLOWED_METHODS"))?.map { $0.uppercased() } ?? cors.methods
        cors.headers = Self.list(environment.raw("CORS_ALLOWED_HEADERS")) ?? cors.headers
        cors.allowCredentials = environment.boolean("CORS_ALLOW_CREDENTIALS", default: false)
        cors.maxAge = environment.seconds("CORS_MAX_AGE_SECONDS", default: .seconds(600), in: 0...86_400)
        if cors.allowCredentials && cors.origins.contains("*") {
            environment.record("CORS_ALLOW_CREDENTIALS", "true", "false when CORS_ALLOWED_ORIGINS is * (browsers refuse credentials with a wildcard)")
        }

        let source = environment.raw("GATEWAY_ROUTES")
        routes = []
        upstreamOptions = [:]
        upstreamURLs = [:]
        do {
            let json: String
            if let source {
                guard let data = FileManager.default.contents(atPath: source) else {
                    throw RouteTableError(source: source, problems: ["the file cannot be read"])
                }
                json = String(decoding: data, as: UTF8.self)
            } else {
                json = EmbeddedText.defaultRoutes
            }
            let table = try RouteTable.parse(json, source: source ?? "built-in table")
            routes = try table.compile(source: source ?? "built-in table")
            upstreamOptions = table.upstreams
            for name in Set(routes.map(\.upstream)).union(["auth"]) {
                upstreamURLs[name] = environment.raw(Upstream.urlVariable(for: name)) ?? table.upstreams[name]?.url ?? Fleet.member(name)?.localURL
            }
        } catch let error as RouteTableError {
            environment.record("GATEWAY_ROUTES", source ?? "(built-in)", "a valid route table; \(error)")
        } catch {
            environment.record("GATEWAY_ROUTES", source, "a readable route table (\(error))")
        }
    }

    static func list(_ text: String?) -> [String]? {
        text.map { $0.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty } }
    }
}
