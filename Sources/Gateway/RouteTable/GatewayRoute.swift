import FlotillaKit
import HTTPTypes

/// One validated route of the table, ready to match and apply.
struct GatewayRoute: Sendable {
    let prefix: String
    let upstream: String
    let rewrite: String
    let auth: RouteTable.AuthMode
    let methods: Set<HTTPRequest.Method>
    let roles: Set<Role>
    let scopes: Set<String>
    let rateLimitName: String
    let rateLimit: RouteTable.RateLimitOptions
    let cacheTTL: Duration
    let timeout: Duration
    let retry: Bool
    /// Bodies stream through (``RouteTable/RouteOptions/stream``).
    let stream: Bool

    /// The first of `routes` (in table order) whose prefix `path` is under.
    static func first(in routes: [GatewayRoute], matching path: String) -> GatewayRoute? {
        let path = Substring(path)
        return routes.first { $0.matches(path) }
    }

    /// Whether `path` is under this route's prefix (at a segment boundary).
    func matches(_ path: Substring) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        let rest = path.dropFirst(prefix.count)
        return rest.isEmpty || rest.first == "/" || prefix == "/"
    }

    /// The path the upstream is asked for.
    func upstreamPath(for path: Substring) -> String {
        let rest = path.dropFirst(prefix == "/" ? 0 : prefix.count)
        let rewritten = rewrite + rest
        return rewritten.isEmpty ? "/" : rewritten
    }
}

extension RouteTable {
    /// The methods a route serves when it names none.
    static let knownMethods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete]
    /// What a route may name: those and `OPTIONS` (tus asks the upstream for its capabilities).
    static let nameableMethods: [HTTPRequest.Method] = knownMethods + [.options]

    /// The table's routes, longest prefix first, or every problem found in it.
    func compile(source: String) throws(RouteTableError) -> [GatewayRoute] {
        var problems = [String]()
        var policies = rateLimits
        if policies["default"] == nil { policies["default"] = Self.defaultRateLimit }
        for (name, policy) in policies where policy.perClient < 1 || policy.perPrincipal < 1 {
            problems.append("rate_limits.\(name): limits must be at least 1 request per minute")
        }
        for (name, options) in upstreams {
            if Fleet.member(name) == nil && options.url == nil {
                problems.append("upstreams.\(name): not a fleet service, so it needs a \"url\"")
            }
            if let url = options.url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) || url.hasSuffix("/") {
                problems.append("upstreams.\(name).url: '\(url)' must be an http(s) URL without a trailing slash")
            }
            if let attempts = options.maxAttempts, !(1...5).contains(attempts) {
                problems.append("upstreams.\(name).max_attempts: \(attempts) is not between 1 and 5")
            }
            if let calls = options.maxConcurrentCalls, !(1...10_000).contains(calls) {
                problems.append("upstreams.\(name).max_concurrent_calls: \(calls) is not between 1 and 10000")
            }
            if let calls = options.breakerMinimumCalls, !(1...1000).contains(calls) {
                problems.append("upstreams.\(name).breaker_minimum_calls: \(calls) is not between 1 and 1000")
            }
            if let open = options.breakerOpenMilliseconds, !(100...600_000).contains(open) {
                problems.append("upstreams.\(name).breaker_open_ms: \(open) is not between 100 and 600000")
            }
        }
        if routes.isEmpty { problems.append("routes: the table has no routes") }
        var seen = Set<String>()
        var compiled = [GatewayRoute]()
        for (index, route) in routes.enumerated() {
            let at = "routes[\(index)] (\(route.prefix))"
            var routeProblems = [String]()
            if !route.prefix.hasPrefix("/") || (route.prefix.count > 1 && route.prefix.hasSuffix("/")) || route.prefix.contains("//") {
                routeProblems.append("\(at).prefix must start with / and not end with /")
            }
            if !seen.insert(route.prefix).inserted { routeProblems.append("\(at).prefix is routed twice") }
            if Fleet.member(route.upstream) == nil && upstreams[route.upstream] == nil {
                routeProblems.append("\(at).upstream '\(route.upstream)' is neither a fleet service nor declared under upstreams")
            }
            if let rewrite = route.rewrite, !rewrite.isEmpty, !rewrite.hasPrefix("/") || rewrite.hasSuffix("/") {
                routeProblems.append("\(at).rewrite must be empty or start with / and not end with /")
            }
            var methods = Set<HTTPRequest.Method>()
            for name in route.methods ?? Self.knownMethods.map(\.rawValue) {
                if let method = Self.nameableMethods.first(where: { $0.rawValue == name.uppercased() }) {
                    methods.insert(method)
                } else {
                    routeProblems.append("\(at).methods: '\(name)' is not one of \(Self.nameableMethods.map(\.rawValue).joined(separator: ", "))")
                }
            }
            if methods.contains(.get) { methods.insert(.head) }
            var roles = Set<Role>()
            for name in route.roles {
                if let role = Role(rawValue: name) { roles.insert(role) } else { routeProblems.append("\(at).roles: '\(name)' is not a role") }
            }
            if route.auth == .public && (!roles.isEmpty || !route.scopes.isEmpty) {
                routeProblems.append("\(at): a public route cannot require roles or scopes")
            }
            if policies[route.rateLimit] == nil { routeProblems.append("\(at).rate_limit: no policy named '\(route.rateLimit)'") }
            if !(0...86_400).contains(route.cacheTTLSeconds) { routeProblems.append("\(at).cache_ttl_seconds must be 0 to 86400") }
            if !(1...120_000).contains(route.timeoutMilliseconds) { routeProblems.append("\(at).timeout_ms must be 1 to 120000") }
            if route.stream && route.cacheTTLSeconds > 0 { routeProblems.append("\(at): a streamed route cannot be cached") }
            problems += routeProblems
            guard routeProblems.isEmpty, let policy = policies[route.rateLimit] else { continue }
            compiled.append(
                GatewayRoute(
                    prefix: route.prefix, upstream: route.upstream, rewrite: route.rewrite ?? route.prefix, auth: route.auth,
                    methods: methods, roles: roles, scopes: Set(route.scopes), rateLimitName: route.rateLimit, rateLimit: policy,
                    cacheTTL: .seconds(route.cacheTTLSeconds), timeout: .milliseconds(route.timeoutMilliseconds), retry: route.retry && !route.stream,
                    stream: route.stream))
        }
        guard problems.isEmpty else { throw RouteTableError(source: source, problems: problems) }
        return compiled.sorted { $0.prefix.count > $1.prefix.count }
    }
}
