import FlotillaKit
import Hummingbird
import ServiceLifecycle

/// An application built the way every service builds its own, with test routes and
/// checks added and logs captured, for exercising the kit in-process or live.
public struct KitTestApplication: Sendable {
    /// Lines the application logged.
    public let logs: LogCapture
    /// The runtime behind the application.
    public let runtime: ServiceRuntime
    /// The application, ready for `test(.router)` or `test(.live)`.
    public let application: FlotillaApplication

    /// - Parameters:
    ///   - configure: adjusts the test configuration (body limit, names, ...).
    ///   - checks: extra health checks to register.
    ///   - routes: adds the routes under test.
    public init(
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        checks: [any HealthCheck] = [],
        routes: (Router<FlotillaRequestContext>) -> Void = { _ in }
    ) {
        self.init(configure: configure, checks: checks) { _, router in
            routes(router)
            return []
        }
    }

    /// - Parameters:
    ///   - configure: adjusts the test configuration.
    ///   - checks: extra health checks to register.
    ///   - build: adds routes and returns the services (pools, ...) the application runs,
    ///     as a service's `buildApplication` does.
    public init(
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        checks: [any HealthCheck] = [],
        build: (ServiceRuntime, Router<FlotillaRequestContext>) -> [any Service]
    ) {
        let logs = LogCapture()
        var configuration = ServiceConfiguration.testing(logs: logs)
        configure(&configuration)
        let runtime = ServiceRuntime(configuration: configuration)
        for check in checks { runtime.healthChecks.register(check) }
        let router = runtime.makeRouter()
        let services = build(runtime, router)
        self.logs = logs
        self.runtime = runtime
        self.application = runtime.makeApplication(router: router, services: services)
    }
}

/// A health check whose outcome a test decides.
public struct StubHealthCheck: HealthCheck {
    public let name: String
    public let criticality: HealthCheckCriticality
    public let timeout: Duration
    private let outcome: @Sendable () async throws -> HealthObservation

    public init(
        name: String,
        criticality: HealthCheckCriticality = .required,
        timeout: Duration = .seconds(2),
        outcome: @escaping @Sendable () async throws -> HealthObservation
    ) {
        self.name = name
        self.criticality = criticality
        self.timeout = timeout
        self.outcome = outcome
    }

    public func check() async throws -> HealthObservation {
        try await outcome()
    }
}
