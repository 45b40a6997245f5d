/// The result of running every registered check once, and what it means for the probes.
public struct HealthReport: Sendable {
    /// One check's result.
    public struct Entry: Sendable {
        public let name: String
        public let componentType: String
        public let criticality: HealthCheckCriticality
        public let observation: HealthObservation
        /// RFC 3339 time the observation was made.
        public let time: String

        public init(name: String, componentType: String, criticality: HealthCheckCriticality, observation: HealthObservation, time: String) {
            self.name = name
            self.componentType = componentType
            self.criticality = criticality
            self.observation = observation
            self.time = time
        }
    }

    /// Every check's result, in registration order.
    public let entries: [Entry]
    /// Whether shutdown has begun.
    public let draining: Bool

    public init(entries: [Entry], draining: Bool) {
        self.entries = entries
        self.draining = draining
    }

    /// `/health` status: `fail` when a required check fails, `warn` when anything else is not
    /// a pass (including an optional dependency failing), `pass` otherwise.
    public var status: HealthStatus {
        entries.map { entry in
            entry.observation.status == .fail && entry.criticality == .optional ? .warn : entry.observation.status
        }.max() ?? .pass
    }

    /// `/ready`: no required check failing and not draining.
    public var isReady: Bool {
        !draining && !entries.contains { $0.criticality == .required && $0.observation.status == .fail }
    }

    /// Body of `/ready`, in the style of Kubernetes' `/readyz`: `ok` when ready and not
    /// verbose; otherwise a `[+]`/`[-]` line per check, then the verdict.
    public func readinessText(verbose: Bool) -> String {
        if isReady && !verbose { return "ok\n" }
        var text = ""
        for entry in entries {
            let passed = entry.observation.status != .fail || entry.criticality == .optional
            let reason = entry.observation.output.map { ": \($0)" } ?? ""
            let optional = entry.criticality == .optional ? " (optional)" : ""
            text += passed ? "[+]\(entry.name) ok\(optional)\(reason)\n" : "[-]\(entry.name) failed\(reason)\n"
        }
        text += draining ? "[-]shutdown failed: draining\n" : "[+]shutdown ok\n"
        text += isReady ? "readiness check passed\n" : "readiness check failed\n"
        return text
    }
}
