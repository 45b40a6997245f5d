import Logging

/// The identifiers that tie together everything done for one request: its `X-Request-ID`
/// and its trace position. Bound to the handling task, so every log line and every outgoing
/// call made while serving the request carries them.
public struct RequestCorrelation: Sendable, Equatable {
    /// The request ID, echoed as `X-Request-ID`.
    public let requestID: String
    /// The server span for this request.
    public let trace: TraceContext

    public init(requestID: String, trace: TraceContext) {
        self.requestID = requestID
        self.trace = trace
    }

    /// The correlation of the request being served by the current task, if any.
    @TaskLocal public static var current: RequestCorrelation?

    /// Adds `request_id`, `trace_id` and `span_id` from ``current`` to every log line.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let correlation = RequestCorrelation.current else { return [:] }
        return [
            "request_id": .string(correlation.requestID),
            "trace_id": .string(correlation.trace.traceID),
            "span_id": .string(correlation.trace.spanID),
        ]
    }
}
