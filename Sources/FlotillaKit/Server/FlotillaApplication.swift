public import HTTPTypes
public import Hummingbird
public import HummingbirdCore
public import NIOCore
public import Logging
public import ServiceLifecycle
import UnixSignals

/// A service's application: Hummingbird's with the Flotilla shutdown sequence on top.
///
/// Use it in tests like any Hummingbird application (`app.test(.router)`, `.live`), and run
/// it from `main` with ``runUntilTerminated()``.
public struct FlotillaApplication: ApplicationProtocol {
    public typealias Responder = RouterResponder<FlotillaRequestContext>

    let application: Application<Responder>
    /// The runtime the application was built from.
    public let runtime: ServiceRuntime
    /// The routes the service declared (ops endpoints included, generated 405 and HEAD
    /// responders not), e.g. to check them against the service's OpenAPI document.
    public let routes: [DeclaredRoute]

    init(application: Application<Responder>, runtime: ServiceRuntime, routes: [DeclaredRoute]) {
        self.application = application
        self.runtime = runtime
        self.routes = routes
    }

    public var responder: Responder { application.responder }
    public var configuration: ApplicationConfiguration { application.configuration }
    /// The kit's HTTP/1.1 channel (parser refusals in the envelope, draining connections).
    public var server: HTTPServerBuilder { application.server }
    public var logger: Logger { application.logger }
    public var services: [any Service] { application.services }
    public var processesRunBeforeServerStart: [@Sendable () async throws -> Void] { application.processesRunBeforeServerStart }
    public func onServerRunning(_ channel: any Channel) async { await application.onServerRunning(channel) }

    /// Run until SIGTERM or SIGINT, then shut down gracefully:
    /// `/ready` turns 503 at once; the server keeps serving for `SHUTDOWN_DRAIN_SECONDS`;
    /// the listener closes; in-flight requests get `SHUTDOWN_TIMEOUT_SECONDS` to finish;
    /// services stop in reverse order. Returns normally on a graceful shutdown.
    public func runUntilTerminated() async throws {
        let settings = runtime.configuration
        var group = ServiceGroupConfiguration(
            services: [
                .init(service: application),
                .init(service: DrainOnShutdownService(lifecycle: runtime.lifecycle, delay: settings.drainDelay, logger: logger)),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        group.maximumGracefulShutdownDuration = settings.drainDelay + settings.shutdownTimeout
        group.maximumCancellationDuration = .seconds(5)
        logger.info(
            "starting",
            metadata: ["version": "\(settings.identity.version)", "address": "\(settings.host):\(settings.port)"]
        )
        try await ServiceGroup(configuration: group).run()
        logger.info("stopped")
    }
}

/// A method and path template a service routes, e.g. `GET /v1/sessions/{id}`.
public struct DeclaredRoute: Sendable, Hashable, CustomStringConvertible {
    public let method: HTTPRequest.Method
    public let path: String

    public init(method: HTTPRequest.Method, path: String) {
        self.method = method
        self.path = path
    }

    public var description: String { "\(method.rawValue) \(path)" }
}
