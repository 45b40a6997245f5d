public import Hummingbird

/// The request context of every Flotilla service.
///
/// Carries the request's ``RequestCorrelation`` (set by the correlation middleware) and the
/// body limit (set from `MAX_BODY_BYTES` by the body-limit middleware).
public struct FlotillaRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request's IDs; a fresh trace until the correlation middleware has run.
    public var correlation: RequestCorrelation
    /// Largest body `request.decodeJSON` will collect.
    public var maxUploadSize: Int

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.correlation = RequestCorrelation(requestID: RequestID.generate(), trace: .startTrace())
        self.maxUploadSize = 1 << 20
    }

    /// The route template that matched (e.g. `/products/{id}`), or `unmatched`.
    public var routeTemplate: String {
        guard let path = endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }
}
