import FlotillaKit

/// The orders service's settings, from the environment.
struct OrdersConfiguration: Sendable {
    var service: ServiceConfiguration
    var database: PostgresConfiguration
    var redis: RedisConfiguration
    var verification: TokenVerifierConfiguration
    /// `AUTH_SERVICE_URL`, `CATALOG_SERVICE_URL`, `CUSTOMERS_SERVICE_URL`.
    var urls: [String: String]
    /// The service account orders restocks with (`ORDERS_CLIENT_ID`, `ORDERS_CLIENT_SECRET`).
    var clientID: String
    var clientSecret: String
    /// How often queued restocks are retried (`ORDERS_RESTOCK_RETRY_SECONDS`, the first backoff step).
    var restockRetryInterval: Duration

    init(environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: OrdersApp.identity, environment: &environment)
        database = PostgresConfiguration(environment: &environment, applicationName: OrdersApp.identity.name)
        redis = RedisConfiguration(environment: &environment)
        verification = TokenVerifierConfiguration(environment: &environment)
        var urls = [String: String]()
        for name in ["auth", "catalog", "customers"] {
            urls[Upstream.urlVariable(for: name)] = environment.string(Upstream.urlVariable(for: name), default: Fleet.member(name)!.localURL)
        }
        self.urls = urls
        clientID = environment.string("ORDERS_CLIENT_ID", default: "orders")
        clientSecret = environment.raw("ORDERS_CLIENT_SECRET") ?? ""
        restockRetryInterval = environment.seconds("ORDERS_RESTOCK_RETRY_SECONDS", default: .seconds(5), in: 0.05...3600)
    }
}
