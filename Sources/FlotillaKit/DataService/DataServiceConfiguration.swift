/// What every service with its own PostgreSQL schema and Redis reads from the environment,
/// read once here so that a service's configuration holds only its own settings:
/// the kit's server settings, `DATABASE_*`/`DB_*`, `REDIS_*`, token verification (`JWT_*`),
/// the event bus (`EVENTS_*`) and `<NAME>_SERVICE_URL` of auth and of each service it calls.
public struct DataServiceConfiguration: Sendable {
    /// Server, logging and shutdown settings.
    public var service: ServiceConfiguration
    /// The service's PostgreSQL schema and pool.
    public var database: PostgresConfiguration
    /// Redis (cache, denylist, event streams).
    public var redis: RedisConfiguration
    /// How access tokens are verified.
    public var verification: TokenVerifierConfiguration
    /// Relay and consumer settings.
    public var events: EventBusConfiguration
    /// Base URL of each service called, by name (auth always).
    public var upstreamURLs: [String: String]

    /// Read the shared settings of service `identity`, which calls the services `calls`.
    public init(identity: ServiceIdentity, calls: [String] = [], environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: identity, environment: &environment)
        database = PostgresConfiguration(environment: &environment, applicationName: identity.name)
        redis = RedisConfiguration(environment: &environment)
        verification = TokenVerifierConfiguration(environment: &environment)
        events = EventBusConfiguration(identity: identity, environment: &environment)
        var urls = [String: String]()
        for name in Set(["auth"] + calls) {
            let variable = Upstream.urlVariable(for: name)
            urls[name] = environment.string(variable, default: Fleet.member(name)?.localURL ?? "http://127.0.0.1")
        }
        upstreamURLs = urls
    }

    /// The base URL of service `name` (one of those named in `calls`, or auth).
    public func url(of name: String) -> String {
        guard let url = upstreamURLs[name] else { preconditionFailure("\(name) is not among the services this one calls") }
        return url
    }
}
