extension ServiceRuntime {
    /// An upstream named `name` (e.g. `catalog`) at `<NAME>_SERVICE_URL` (default
    /// `defaultURL`), with its breaker reported as `upstream:<name>` in `/health`: open is
    /// `warn`, never a readiness failure, so one dead upstream cannot take the fleet down.
    public func makeUpstream(
        _ name: String,
        defaultURL: String,
        environment: EnvironmentReader,
        client: FlotillaHTTPClient,
        policy: Upstream.Policy = Upstream.Policy()
    ) -> Upstream {
        let variable = Upstream.urlVariable(for: name)
        return makeUpstream(name, baseURL: environment.string(variable, default: defaultURL), policy: policy, client: client)
    }

    /// An upstream at `baseURL` outside the fleet (an object store), its requests signed with
    /// `signing` when given; its breaker reported by `/health` like every upstream's.
    public func makeUpstream(
        _ name: String, baseURL: String, policy: Upstream.Policy = Upstream.Policy(), signing: AWSSigV4? = nil, client: FlotillaHTTPClient
    ) -> Upstream {
        let upstream = Upstream(name: name, baseURL: baseURL, policy: policy, signing: signing, client: client, metrics: metrics, logger: logger)
        healthChecks.register(CircuitBreakerHealthCheck(upstream: upstream))
        return upstream
    }
}

extension Upstream {
    /// The variable holding upstream `name`'s base URL: `CATALOG_SERVICE_URL` for `catalog`.
    public static func urlVariable(for name: String) -> String {
        String(name.uppercased().map { $0 == "-" ? "_" : $0 }) + "_SERVICE_URL"
    }
}

/// `upstream:<name>`: warns while the upstream's breaker is not closed.
struct CircuitBreakerHealthCheck: HealthCheck {
    let upstream: Upstream
    var name: String { "upstream:\(upstream.name)" }
    var criticality: HealthCheckCriticality { .optional }

    func check() async throws -> HealthObservation {
        let state = upstream.breakerState
        return HealthObservation(
            status: state == .closed ? .pass : .warn,
            observedValue: .string(state.name),
            output: state == .closed ? nil : "circuit breaker \(state.name)"
        )
    }
}
