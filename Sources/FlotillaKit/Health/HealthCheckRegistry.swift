import Synchronization

/// The checks a service's `/ready` and `/health` run, registered by the service and by kit
/// components as they are built.
public final class HealthCheckRegistry: Sendable {
    private let checks = Mutex<[any HealthCheck]>([])

    public init() {}

    /// Add a check; it runs on every `/ready` and `/health` request from now on.
    public func register(_ check: any HealthCheck) {
        checks.withLock { $0.append(check) }
    }

    /// Names of the registered checks, in order.
    public var names: [String] {
        checks.withLock { $0.map(\.name) }
    }

    /// Run every check concurrently, each bounded by its own timeout.
    public func run(draining: Bool) async -> HealthReport {
        let checks = self.checks.withLock { $0 }
        let entries = await withTaskGroup(of: (Int, HealthReport.Entry).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask { (index, await Self.run(check)) }
            }
            var entries = [(Int, HealthReport.Entry)]()
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
        return HealthReport(entries: entries, draining: draining)
    }

    private static func run(_ check: any HealthCheck) async -> HealthReport.Entry {
        let observation: HealthObservation
        do {
            observation = try await withDeadline(check.timeout) { try await check.check() }
        } catch {
            observation = HealthObservation(status: .fail, output: String(describing: error))
        }
        return HealthReport.Entry(
            name: check.name,
            componentType: check.componentType,
            criticality: check.criticality,
            observation: observation,
            time: RFC3339.now()
        )
    }
}
