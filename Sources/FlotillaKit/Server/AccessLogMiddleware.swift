public import Hummingbird
import Logging

/// Writes one access-log line per request: method, route template, path, status, duration
/// and response bytes. Probe and scrape endpoints log at `debug` so they do not drown the rest.
public struct AccessLogMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    /// Paths logged at debug level.
    public static let quietPaths: Set<String> = ["/live", "/ready", "/health", "/metrics"]

    private let unmatchedRouteLabel: UnmatchedRouteLabel?

    /// - Parameter unmatchedRouteLabel: names the route of requests no router route matched.
    public init(unmatchedRouteLabel: UnmatchedRouteLabel? = nil) {
        self.unmatchedRouteLabel = unmatchedRouteLabel
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let level: Logger.Level = Self.quietPaths.contains(request.uri.path) ? .debug : .info
        context.logger.log(
            level: level,
            "request completed",
            metadata: [
                "http.method": .string(request.method.rawValue),
                "http.route": .string(context.routeTemplate(of: request, unmatched: unmatchedRouteLabel)),
                "http.path": .string(request.uri.path),
                "client.ip": .string(context.clientIP ?? "-"),
                "http.status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(elapsed.roundedMilliseconds)),
                "bytes": .stringConvertible(response.body.contentLength ?? 0),
            ]
        )
        return response
    }
}
