extension ServiceRuntime {
    /// A Redis client for this service with its `redis:responseTime` check registered.
    /// With `.optional`, Redis down makes `/health` warn while `/ready` stays 200 (for
    /// services that only cache). Pass the client to `makeApplication(services:)`.
    public func makeRedisClient(_ configuration: RedisConfiguration, criticality: HealthCheckCriticality = .required) -> RedisClient {
        let client = RedisClient(configuration: configuration, metrics: metrics, logger: logger)
        healthChecks.register(ResponseTimeHealthCheck(component: "redis", criticality: criticality) { try await client.send("PING") })
        return client
    }
}
