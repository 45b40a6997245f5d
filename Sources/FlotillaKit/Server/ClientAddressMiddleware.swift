public import HTTPTypes
public import Hummingbird

/// Sets ``FlotillaRequestContext/clientIP`` from the peer, or from `X-Forwarded-For` when
/// the peer is a trusted proxy (`TRUSTED_PROXIES`).
public struct ClientAddressMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext
    let trustedProxies: TrustedProxies

    public init(trustedProxies: TrustedProxies) {
        self.trustedProxies = trustedProxies
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let peer = context.peerIP else { return try await next(request, context) }
        var context = context
        context.clientIP = trustedProxies.clientAddress(peer: peer, forwardedFor: request.headers[.xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    /// `X-Forwarded-For`
    public static let xForwardedFor = Self("X-Forwarded-For")!
    /// `X-Forwarded-Proto`
    public static let xForwardedProto = Self("X-Forwarded-Proto")!
    /// `X-Forwarded-Host`
    public static let xForwardedHost = Self("X-Forwarded-Host")!
}
