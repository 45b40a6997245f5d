public import ServiceLifecycle

/// Service-to-service HTTP over libcurl: one multi handle on a dedicated thread, keep-alive
/// connection reuse, HTTP/2 where offered, TLS verification on. Every call carries the
/// current request's `X-Request-ID`, a child `traceparent`, and a `User-Agent` naming the
/// service. Run it as a `Service` so it stops with the application.
public final class FlotillaHTTPClient: Service, Sendable {
    /// Client-wide settings.
    public struct Configuration: Sendable {
        /// `User-Agent`, e.g. `gateway/1.2.0`.
        public var userAgent: String
        /// Largest response body accepted.
        public var maxResponseBytes: Int = 10 << 20
        /// Connections kept alive across all upstreams.
        public var maxConnections: Int = 64

        public init(userAgent: String) {
            self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    private let loop: CurlMultiLoop

    public init(configuration: Configuration) {
        self.configuration = configuration
        self.loop = CurlMultiLoop(maxConnections: configuration.maxConnections)
    }

    /// Send `request`, giving up after `timeout` (connecting and transferring included).
    /// Transport failures throw ``HTTPClientError``; any HTTP status is a response.
    public func execute(_ request: HTTPClientRequest, timeout: Duration) async throws -> HTTPClientResponse {
        var request = request
        request.headers = propagatedHeaders(request.headers)
        let transfer = try CurlTransfer(request: request, timeout: timeout, maxResponseBytes: configuration.maxResponseBytes)
        return try await loop.perform(transfer)
    }

    /// Correlation and identity headers added to every call unless the caller set them.
    func propagatedHeaders(_ headers: [(String, String)]) -> [(String, String)] {
        var headers = headers
        func addIfMissing(_ name: String, _ value: String) {
            if !headers.contains(where: { $0.0.equalsIgnoringASCIICase(name) }) { headers.append((name, value)) }
        }
        if let correlation = RequestCorrelation.current {
            addIfMissing("X-Request-ID", correlation.requestID)
            addIfMissing("traceparent", correlation.trace.childSpan().traceparent)
        }
        addIfMissing("User-Agent", configuration.userAgent)
        return headers
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Stop the transfer thread; calls still running fail.
    public func shutdown() async {
        await loop.shutdown()
    }
}
