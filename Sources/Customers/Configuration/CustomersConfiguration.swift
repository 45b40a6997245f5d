import FlotillaKit

/// The customers service's settings, from the environment.
struct CustomersConfiguration: Sendable {
    var service: ServiceConfiguration
    var database: PostgresConfiguration
    var redis: RedisConfiguration
    var verification: TokenVerifierConfiguration
    /// `AUTH_SERVICE_URL` and `ORDERS_SERVICE_URL`.
    var authURL: String
    var ordersURL: String

    init(environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: CustomersApp.identity, environment: &environment)
        database = PostgresConfiguration(environment: &environment, applicationName: CustomersApp.identity.name)
        redis = RedisConfiguration(environment: &environment)
        verification = TokenVerifierConfiguration(environment: &environment)
        authURL = environment.string(Upstream.urlVariable(for: "auth"), default: Fleet.member("auth")!.localURL)
        ordersURL = environment.string(Upstream.urlVariable(for: "orders"), default: Fleet.member("orders")!.localURL)
    }
}
