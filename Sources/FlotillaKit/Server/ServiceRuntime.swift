public import Hummingbird
public import NIOCore
public import Logging
public import ServiceLifecycle
import Synchronization

/// Everything a service shares with the kit while it runs: its configuration, logger,
/// metrics, health checks and shutdown state. A service's `buildApplication(config)`
/// creates one, adds its routes to ``makeRouter()``, and finishes with ``makeApplication(router:services:)``.
public final class ServiceRuntime: Sendable {
    public let configuration: ServiceConfiguration
    /// The service's root logger (JSON lines unless `LOG_FORMAT=pretty`).
    public let logger: Logger
    /// The registry behind `/metrics`.
    public let metrics: MetricsRegistry
    /// The checks behind `/ready` and `/health`.
    public let healthChecks: HealthCheckRegistry
    /// Whether shutdown has begun.
    public let lifecycle: LifecycleState
    /// Work to finish before the server accepts connections (e.g. migrations).
    private let startupWork = Mutex<[@Sendable () async throws -> Void]>([])
    private let eventMetricsMade = Mutex<EventMetrics?>(nil)

    public init(configuration: ServiceConfiguration) {
        self.configuration = configuration
        self.logger = Logger(configuration: configuration)
        self.metrics = MetricsRegistry(service: configuration.identity.name, version: configuration.identity.version)
        self.healthChecks = HealthCheckRegistry()
        self.lifecycle = LifecycleState()
        healthChecks.register(UptimeHealthCheck())
    }

    /// A router with the kit's middleware (correlation, client address, metrics, access log,
    /// error envelope, body limit), then `middleware` (e.g. the gateway's security headers,
    /// which must cover the ops endpoints too), and the ops endpoints. Add the service's
    /// routes to it. `unmatchedRouteLabel` names, in metrics and access logs, the route of
    /// requests no router route matches (the gateway's proxied prefixes).
    public func makeRouter(
        middleware: [any MiddlewareProtocol<Request, Response, FlotillaRequestContext>] = [],
        unmatchedRouteLabel: UnmatchedRouteLabel? = nil
    ) -> Router<FlotillaRequestContext> {
        let router = Router(context: FlotillaRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: CorrelationMiddleware())
        router.add(middleware: ClientAddressMiddleware(trustedProxies: configuration.trustedProxies))
        router.add(middleware: HTTPServerMetricsMiddleware(registry: metrics, unmatchedRouteLabel: unmatchedRouteLabel))
        router.add(middleware: AccessLogMiddleware(unmatchedRouteLabel: unmatchedRouteLabel))
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.add(middleware: EncodedNULMiddleware())
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodyBytes))
        for extra in middleware {
            router.add(middleware: extra)
        }
        OpsRoutes(runtime: self).register(on: router)
        return router
    }

    /// The event bus's metrics, registered when the service first publishes or consumes.
    var eventMetrics: EventMetrics {
        eventMetricsMade.withLock { made in
            if let made { return made }
            let metrics = EventMetrics(registry: self.metrics)
            made = metrics
            return metrics
        }
    }

    /// Run `work` before the server starts listening; a throw aborts the start.
    public func beforeServerStarts(_ work: @escaping @Sendable () async throws -> Void) {
        startupWork.withLock { $0.append(work) }
    }

    /// The application serving `router`, running `services` (pools, consumers, ...) beside
    /// the HTTP server; they start in order and shut down in reverse after the server.
    public func makeApplication(
        router: Router<FlotillaRequestContext>,
        services: [any Service] = [],
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> FlotillaApplication {
        let routes = router.routes.map { DeclaredRoute(method: $0.method, path: $0.path.description) }
        router.addMethodNotAllowedResponders()
        var application = Application(
            router: router,
            server: FlotillaHTTPChannel.builder(lifecycle: lifecycle),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: configuration.identity.name),
            services: services,
            onServerRunning: onServerRunning,
            logger: logger
        )
        for work in startupWork.withLock({ $0 }) {
            application.beforeServerStarts(perform: work)
        }
        return FlotillaApplication(application: application, runtime: self, routes: routes)
    }
}
