import FlotillaKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The gateway's proxy, as the innermost middleware: a request no local route (ops, docs)
/// answered is matched against the route table; a match gets its policies in order (token
/// verification, admission — denylist and both rate-limit budgets in one Redis round trip —,
/// then the 401/403 verdicts, the cache) and is proxied; anything else falls through to the
/// 404.
struct GatewayProxy: RouterMiddleware {
    typealias Context = FlotillaRequestContext

    let routes: [GatewayRoute]
    let upstreams: [String: Upstream]
    let authorizer: RouteAuthorizer
    let rateLimiter: GatewayRateLimiter
    let cache: ResponseCache
    let trustedProxies: TrustedProxies
    let metrics: GatewayMetrics
    /// The largest request body a buffered route collects, and a streamed route passes.
    let bodyLimits: (buffered: Int, streamed: Int)

    func route(for path: String) -> GatewayRoute? {
        GatewayRoute.first(in: routes, matching: path)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        guard let route = route(for: request.uri.path) else {
            return try await next(request, context)
        }
        do {
            let response = try await proxy(request, route: route, context: context)
            metrics.record(route: route, status: response.status.code, since: started)
            return response
        } catch let error as APIError {
            metrics.record(route: route, status: error.status.code, since: started)
            throw error
        }
    }

    func proxy(_ request: Request, route: GatewayRoute, context: FlotillaRequestContext) async throws -> Response {
        guard route.methods.contains(request.method) else {
            throw APIError.methodNotAllowed(request.method, path: request.uri.path, allowed: route.methods.sorted { $0.rawValue < $1.rawValue })
        }
        let authentication = await authorizer.authenticate(request, route: route, context: context)
        let principal: Principal? = (try? authentication.get()) ?? nil
        let limit = try await rateLimiter.admit(
            policy: route.rateLimitName, clientIP: context.clientIP ?? "unknown", perClient: route.rateLimit.perClient,
            principal: principal, perPrincipal: route.rateLimit.perPrincipal)
        do {
            if case .failure(let rejection) = authentication { throw rejection }
            try authorizer.authorize(principal, route: route)
            if route.stream {
                return try await StreamingForwarder(proxy: self).forward(request, route: route, limit: limit, context: context)
            }
            return try await forward(request, route: route, principal: principal, limit: limit, context: context)
        } catch var error as APIError where error.headers[.rateLimitLimit] == nil {
            // Errors after the budgets were counted still say where they stand.
            if let limit { error.headers.append(contentsOf: limit.headers) }
            throw error
        }
    }

    func forward(
        _ request: Request, route: GatewayRoute, principal: Principal?, limit: GatewayRateLimiter.Outcome?, context: FlotillaRequestContext
    ) async throws -> Response {
        let path = route.upstreamPath(for: Substring(request.uri.path))
        let target = path + (request.uri.query.map { "?\($0)" } ?? "")
        let cacheKey = (request.method == .get && route.cacheTTL > .zero)
            ? cache.key(method: "GET", path: path, query: request.uri.query, principal: principal) : nil
        var upstreamResponse: HTTPClientResponse?
        var cacheStatus: String?
        var entryKey: String?
        if let cacheKey {
            let found = await cache.lookup(cacheKey, route: route)
            (upstreamResponse, entryKey) = (found.response, found.entryKey)
            cacheStatus = upstreamResponse == nil ? "MISS" : "HIT"
        }
        if upstreamResponse == nil {
            upstreamResponse = try await call(request, route: route, target: target, context: context)
            if let entryKey, let fresh = upstreamResponse { await cache.store(fresh, key: entryKey, ttl: route.cacheTTL) }
        }
        guard let upstreamResponse else { throw APIError.internalError }
        // A write through the gateway (whatever its answer) makes what it cached for the route stale.
        if route.cacheTTL > .zero, ![.get, .head, .options].contains(request.method) {
            await cache.invalidate(route)
        }

        var headers = ForwardedHeaders.clientResponseHeaders(upstreamResponse.headers)
        if let cacheStatus { headers[.xCache] = cacheStatus }
        if let limit { headers.append(contentsOf: limit.headers) }
        return Response(
            status: HTTPResponse.Status(code: upstreamResponse.status), headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: upstreamResponse.body)))
    }

    func call(_ request: Request, route: GatewayRoute, target: String, context: FlotillaRequestContext) async throws -> HTTPClientResponse {
        guard let upstream = upstreams[route.upstream] else { throw APIError.internalError }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > bodyLimits.buffered {
            throw APIError.payloadTooLarge(limit: bodyLimits.buffered)
        }
        let body = try await request.body.collect(upTo: bodyLimits.buffered)
        let headers = upstreamHeaders(request, context: context)
        do {
            return try await upstream.execute(
                request.method.rawValue, target, headers: headers,
                body: body.readableBytes > 0 || request.method == .post || request.method == .put || request.method == .patch ? Array(body.readableBytesView) : nil,
                idempotent: route.retry ? nil : false, timeout: route.timeout)
        } catch let error as HTTPClientError {
            context.logger.warning("upstream call failed", metadata: ["upstream": "\(route.upstream)", "error.description": "\(error)"])
            throw UpstreamFailure.apiError(for: error, upstream: route.upstream)
        }
    }

    /// The headers sent upstream: the client's, less hop-by-hop ones, with forwarding headers.
    func upstreamHeaders(_ request: Request, context: FlotillaRequestContext) -> [(String, String)] {
        let peer = context.peerIP ?? "unknown"
        return ForwardedHeaders.upstreamRequestHeaders(request.headers, authority: request.head.authority, peerIP: peer, peerIsTrusted: trustedProxies.isTrusted(peer))
    }
}
