import FlotillaKit
import Hummingbird

/// Build the gateway application; used by `main` and by the tests.
func buildApplication(_ configuration: GatewayConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    var service = configuration.service
    // The kit's body limit lets streamed bodies in; the proxy holds each route to its own.
    if configuration.routes.contains(where: \.stream) {
        service.maxBodyBytes = max(configuration.maxBufferedBodyBytes, configuration.maxStreamedBodyBytes)
    }
    let runtime = ServiceRuntime(configuration: service)
    // URLs are resolved in the configuration; the upstreams take them as they are.
    let environment = EnvironmentReader([:])
    let client = httpClient ?? FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-gateway/\(GatewayApp.identity.version)"))
    // Redis only serves policies that degrade gracefully, so it never fails readiness.
    let redis = runtime.makeRedisClient(configuration.redis, criticality: .optional)

    var upstreams = [String: Upstream]()
    for name in Set(configuration.routes.map(\.upstream)) {
        let options = configuration.upstreamOptions[name]
        var policy = Upstream.Policy()
        policy.retry.maxAttempts = options?.maxAttempts ?? policy.retry.maxAttempts
        policy.maxConcurrentCalls = options?.maxConcurrentCalls ?? policy.maxConcurrentCalls
        if let calls = options?.breakerMinimumCalls {
            policy.breaker.minimumCalls = calls
            policy.breaker.windowSize = max(policy.breaker.windowSize, calls)
        }
        if let open = options?.breakerOpenMilliseconds { policy.breaker.openDuration = .milliseconds(open) }
        upstreams[name] = runtime.makeUpstream(
            name, defaultURL: configuration.upstreamURLs[name] ?? "http://127.0.0.1", environment: environment, client: client, policy: policy)
    }
    // The denylist is checked in the rate limiter's round trip, not by the verifier.
    let verifier = runtime.makeTokenVerifier(
        configuration.verification, environment: EnvironmentReader(["AUTH_SERVICE_URL": configuration.upstreamURLs["auth"] ?? ""]),
        client: client, denylist: nil, upstream: upstreams["auth"])
    let rateLimiter = GatewayRateLimiter(
        client: redis, failOpen: configuration.rateLimitFailOpen, logger: runtime.logger, prefix: configuration.redisKeyPrefix + "ratelimit:",
        denylist: TokenDenylist(client: redis), maxLease: configuration.rateLimitMaxLease,
        leases: AdmissionLeases(lifetime: configuration.rateLimitLeaseLifetime))
    runtime.healthChecks.register(RateLimiterHealthCheck(limiter: rateLimiter))

    let routes = configuration.routes
    let router = runtime.makeRouter(
        middleware: [
            SecurityHeadersMiddleware(hstsMaxAge: configuration.hstsMaxAge),
            CORSMiddleware(policy: configuration.cors),
            RequestLimitsMiddleware(maxURLBytes: configuration.maxURLBytes, maxHeaderBytes: configuration.maxHeaderBytes),
        ],
        // Proxied requests are labelled by their route-table prefix, as gateway_requests_total is.
        unmatchedRouteLabel: { request in GatewayRoute.first(in: routes, matching: request.uri.path)?.prefix })
    DocsController(routes: configuration.routes, upstreams: upstreams, version: GatewayApp.identity.version, logger: runtime.logger)
        .addRoutes(to: router)
    let proxy = GatewayProxy(
        routes: configuration.routes, upstreams: upstreams, authorizer: RouteAuthorizer(verifier: verifier), rateLimiter: rateLimiter,
        cache: ResponseCache(client: redis, logger: runtime.logger, prefix: configuration.redisKeyPrefix + "cache:"), trustedProxies: configuration.service.trustedProxies,
        metrics: GatewayMetrics(metrics: runtime.metrics), bodyLimits: (buffered: configuration.maxBufferedBodyBytes, streamed: configuration.maxStreamedBodyBytes))
    // Last, so it wraps only the not-found responder: what no local route answers is proxied.
    router.add(middleware: proxy)
    return runtime.makeApplication(router: router, services: httpClient == nil ? [client, redis] : [redis])
}
