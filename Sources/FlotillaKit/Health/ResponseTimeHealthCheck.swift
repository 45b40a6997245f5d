/// A check that times a probe of a dependency (a `SELECT 1`, a `PING`) and reports the
/// response time in milliseconds; the probe throwing means `fail`.
public struct ResponseTimeHealthCheck: HealthCheck {
    public let name: String
    public let componentType: String
    public let criticality: HealthCheckCriticality
    public let timeout: Duration
    /// Response time above which the check warns.
    public let warnAbove: Duration
    private let probe: @Sendable () async throws -> Void

    /// A check named `component:responseTime`.
    public init(
        component: String,
        componentType: String = "datastore",
        criticality: HealthCheckCriticality = .required,
        timeout: Duration = .seconds(2),
        warnAbove: Duration = .milliseconds(500),
        probe: @escaping @Sendable () async throws -> Void
    ) {
        self.name = "\(component):responseTime"
        self.componentType = componentType
        self.criticality = criticality
        self.timeout = timeout
        self.warnAbove = warnAbove
        self.probe = probe
    }

    public func check() async throws -> HealthObservation {
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { try await probe() }
        return HealthObservation(
            status: elapsed > warnAbove ? .warn : .pass,
            observedValue: .double(elapsed.roundedMilliseconds),
            observedUnit: "ms",
            output: elapsed > warnAbove ? "slower than \(warnAbove)" : nil
        )
    }
}
