import HTTPTypes
public import Hummingbird
import NIOCore

/// The ops contract every service serves on its API port:
/// `/live`, `/ready` (`?verbose`), `/health` and `/metrics`.
public struct OpsRoutes: Sendable {
    let runtime: ServiceRuntime

    public init(runtime: ServiceRuntime) {
        self.runtime = runtime
    }

    /// Add the four endpoints to `router`.
    public func register(on router: Router<FlotillaRequestContext>) {
        router.get("/live") { _, _ in Self.text("ok\n", status: .ok) }
        router.get("/ready") { request, _ in await ready(verbose: request.uri.queryParameters["verbose"] != nil) }
        router.get("/health") { _, _ in await health() }
        router.get("/metrics") { _, _ in metrics() }
    }

    func ready(verbose: Bool) async -> Response {
        let report = await runtime.healthChecks.run(draining: runtime.lifecycle.isDraining)
        return Self.text(report.readinessText(verbose: verbose), status: report.isReady ? .ok : .serviceUnavailable)
    }

    func health() async -> Response {
        let report = await runtime.healthChecks.run(draining: runtime.lifecycle.isDraining)
        let document = HealthDocument(report: report, identity: runtime.configuration.identity, releaseID: runtime.configuration.releaseID)
        var response = JSONResponse.make(document, status: report.status == .fail ? .serviceUnavailable : .ok, contentType: HealthDocument.contentType)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func metrics() -> Response {
        Self.text(runtime.metrics.exposition(), status: .ok, contentType: MetricsRegistry.contentType)
    }

    static func text(_ body: String, status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8") -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}
