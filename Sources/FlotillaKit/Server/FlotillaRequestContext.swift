public import Hummingbird
public import NIOCore

/// The request context of every Flotilla service.
///
/// Carries the request's ``RequestCorrelation`` (set by the correlation middleware) and the
/// body limit (set from `MAX_BODY_BYTES` by the body-limit middleware), and the
/// authenticated ``Principal`` once ``AuthenticationMiddleware`` has run.
public struct FlotillaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request's IDs, set by the correlation middleware (placeholders before it runs).
    public var correlation: RequestCorrelation
    /// Largest body `request.decodeJSON` will collect.
    public var maxUploadSize: Int
    /// The peer's address (`IP:port`), if the connection has one.
    public let remoteAddress: String?
    /// The peer's IP address alone.
    public let peerIP: String?
    /// The client's IP address: the peer's, or the one a trusted proxy forwarded
    /// (set by ``ClientAddressMiddleware``).
    public var clientIP: String?
    /// The authenticated caller, set by ``AuthenticationMiddleware``.
    public var principal: Principal?
    /// The event loop of the request's connection (what a streamed response paces itself by).
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        // Replaced by CorrelationMiddleware, the first middleware, before anything reads it.
        self.correlation = RequestCorrelation(requestID: "-", trace: .unset)
        self.maxUploadSize = 1 << 20
        self.eventLoop = source.channel.eventLoop
        self.peerIP = source.channel.remoteAddress?.ipAddress
        self.clientIP = peerIP
        self.remoteAddress = source.channel.remoteAddress.flatMap { address in
            address.ipAddress.map { "\($0):\(address.port ?? 0)" }
        }
    }

    /// The route template that matched (e.g. `/products/{id}`), or `unmatched`.
    public var routeTemplate: String {
        guard let path = endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    /// The route template that matched; for a request no route matched, what `label` names
    /// it (e.g. the gateway's route-table prefix), else `unmatched`.
    public func routeTemplate(of request: Request, unmatched label: UnmatchedRouteLabel?) -> String {
        guard let path = endpointPath, path != "NotFound" else { return label?(request) ?? "unmatched" }
        return path
    }
}

/// Names the route of a request that no router route matched, for the `route` label of the
/// HTTP metrics and the access log's `http.route` — e.g. the gateway's route-table prefix of
/// a proxied request. `nil` leaves it `unmatched`.
public typealias UnmatchedRouteLabel = @Sendable (Request) -> String?
