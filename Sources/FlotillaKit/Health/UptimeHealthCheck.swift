/// Reports how long the service has been running (`uptime`, a `system` check that always passes).
public struct UptimeHealthCheck: HealthCheck {
    public let name = "uptime"
    public let componentType = "system"
    private let started: ContinuousClock.Instant

    public init(started: ContinuousClock.Instant = .now) {
        self.started = started
    }

    public func check() async throws -> HealthObservation {
        let uptime = ContinuousClock.now - started
        return HealthObservation(status: .pass, observedValue: .double(Double(uptime.components.seconds)), observedUnit: "s")
    }
}
