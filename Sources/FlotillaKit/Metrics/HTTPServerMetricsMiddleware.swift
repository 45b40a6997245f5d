import HTTPTypes
public import Hummingbird
import Prometheus

/// Records RED metrics for every request, labelled by method, route *template* and status:
/// `http_server_requests_total`, `http_server_request_duration_seconds` (histogram), and
/// `http_server_requests_in_flight`.
public struct HTTPServerMetricsMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    /// Histogram buckets in seconds, from 1 ms to 10 s.
    public static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    private let inFlight: Gauge
    private let requests: MetricFamily<Counter>
    private let durations: MetricFamily<DurationHistogram>
    private let unmatchedRouteLabel: UnmatchedRouteLabel?

    /// - Parameter unmatchedRouteLabel: names the route of requests no router route matched.
    public init(registry: MetricsRegistry, unmatchedRouteLabel: UnmatchedRouteLabel? = nil) {
        self.unmatchedRouteLabel = unmatchedRouteLabel
        self.inFlight = registry.prometheus.makeGauge(descriptor: .named("http_server_requests_in_flight", help: "HTTP requests currently being served."))
        let labels = ["method", "route", "status"]
        requests = MetricFamily(
            counter: "http_server_requests_total", help: "HTTP requests served, by method, route template and status.",
            labels: labels, registry: registry)
        durations = MetricFamily(
            histogram: "http_server_request_duration_seconds", help: "Time to produce the HTTP response, by method, route template and status.",
            labels: labels, buckets: Self.durationBuckets, registry: registry)
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        inFlight.increment()
        defer { inFlight.decrement() }
        let started = ContinuousClock.now
        let status: HTTPResponse.Status
        do {
            let response = try await next(request, context)
            status = response.status
            record(request, context, status: status, elapsed: .now - started)
            return response
        } catch {
            record(request, context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, elapsed: .now - started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: HTTPResponse.Status, elapsed: Duration) {
        let method = request.method.rawValue, route = context.routeTemplate(of: request, unmatched: unmatchedRouteLabel), code = String(status.code)
        requests(method, route, code).increment()
        durations(method, route, code).record(elapsed)
    }
}
