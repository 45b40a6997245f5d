public import HTTPTypes
public import Hummingbird
import Logging

extension HTTPField.Name {
    /// `X-Request-ID`.
    public static let requestID = HTTPField.Name("X-Request-ID")!
    /// W3C `traceparent`.
    public static let traceparent = HTTPField.Name("traceparent")!
}

/// Accepts or creates the request's `X-Request-ID` and trace, binds them to the handling
/// task (``RequestCorrelation/current``, which log lines read) and the context, and echoes
/// them on the response.
public struct CorrelationMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let correlation = RequestCorrelation(
            requestID: RequestID.accept(request.headers[.requestID]),
            trace: TraceContext.continuing(request.headers[.traceparent])
        )
        var context = context
        context.correlation = correlation
        // Log lines get `request_id` from the task-local (the log handler's metadata provider),
        // so the logger is not copied per request to carry it; Hummingbird's own
        // `hb.request.id` (`context.id`) is left as it is and left out of log lines.
        var response = try await RequestCorrelation.$current.withValue(correlation) {
            try await next(request, context)
        }
        response.headers[.requestID] = correlation.requestID
        response.headers[.traceparent] = correlation.trace.traceparent
        return response
    }
}
