import Synchronization

/// `/health` for the relay: warns when rows wait longer than `EVENTS_WARN_OUTBOX_AGE_SECONDS`
/// or the last publish failed (Redis away); never fails readiness — rows wait safely.
struct OutboxHealthCheck: HealthCheck {
    let relay: OutboxRelay
    let warnAge: Duration
    var name: String { "events:outbox" }
    var criticality: HealthCheckCriticality { .optional }

    func check() async throws -> HealthObservation {
        let pending = try await relay.pending()
        var problems = [String]()
        if let failure = relay.lastFailure.withLock({ $0 }) { problems.append("publishing fails: \(failure)") }
        if pending.oldestAge > warnAge.seconds {
            problems.append("\(pending.count) event(s) waiting, the oldest for \(Int(pending.oldestAge)) s")
        }
        return HealthObservation(
            status: problems.isEmpty ? .pass : .warn, observedValue: .int(pending.count), observedUnit: "events",
            output: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}

/// `/health` for a consumer: warns when a group's lag passes `EVENTS_WARN_LAG` or reading fails.
struct ConsumerHealthCheck: HealthCheck {
    let consumer: EventConsumer
    let warnLag: Int
    var name: String { "events:consumer" }
    var criticality: HealthCheckCriticality { .optional }

    func check() async throws -> HealthObservation {
        let lags = consumer.observedLag.withLock { $0 }
        var problems = [String]()
        if let failure = consumer.lastFailure.withLock({ $0 }) { problems.append("consuming fails: \(failure)") }
        for (stream, lag) in lags.sorted(by: { $0.key < $1.key }) {
            if let lag, lag > warnLag { problems.append("\(stream) is \(lag) entries behind") }
        }
        let total = lags.values.compactMap { $0 }.reduce(0, +)
        return HealthObservation(
            status: problems.isEmpty ? .pass : .warn, observedValue: .int(total), observedUnit: "entries behind",
            output: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
