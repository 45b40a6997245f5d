/// Outcome of one check, after draft-inadarei-api-health-check: `pass`, `warn` or `fail`.
public enum HealthStatus: String, Sendable, Codable, Comparable {
    case pass, warn, fail

    private var severity: Int {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.severity < rhs.severity }
}

/// Whether a failing check makes the service unready.
public enum HealthCheckCriticality: Sendable {
    /// The service cannot serve without it: failure means `/ready` 503 and `/health` fail.
    case required
    /// The service degrades without it: failure means `/health` warn, `/ready` stays 200.
    case optional
}

/// What a check saw.
public struct HealthObservation: Sendable, Equatable {
    /// The check's own verdict.
    public var status: HealthStatus
    /// Measured value, e.g. a response time.
    public var observedValue: JSONValue?
    /// Unit of `observedValue`, e.g. `ms` or `s`.
    public var observedUnit: String?
    /// Explanation for `warn` or `fail`.
    public var output: String?

    public init(status: HealthStatus, observedValue: JSONValue? = nil, observedUnit: String? = nil, output: String? = nil) {
        self.status = status
        self.observedValue = observedValue
        self.observedUnit = observedUnit
        self.output = output
    }
}

/// A dependency or internal condition that `/ready` and `/health` report on.
///
/// Kit components (database pools, HTTP clients, circuit breakers) and services register
/// checks with the ``HealthCheckRegistry``. A check that throws fails; one that exceeds
/// ``timeout`` fails too, so a hung dependency cannot hang the probe.
public protocol HealthCheck: Sendable {
    /// `component:measurement`, e.g. `postgres:responseTime`.
    var name: String { get }
    /// `component`, `datastore` or `system`.
    var componentType: String { get }
    /// Whether failure makes the service unready.
    var criticality: HealthCheckCriticality { get }
    /// Longest the check may take.
    var timeout: Duration { get }
    /// Perform the check.
    func check() async throws -> HealthObservation
}

extension HealthCheck {
    public var componentType: String { "component" }
    public var criticality: HealthCheckCriticality { .required }
    public var timeout: Duration { .seconds(2) }
}
