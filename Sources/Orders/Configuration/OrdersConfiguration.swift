import FlotillaKit

/// The orders service's settings, from the environment: the kit's shared ones (it calls
/// catalog and customers), then its own.
struct OrdersConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// The service account orders restocks with (`ORDERS_CLIENT_ID`, `ORDERS_CLIENT_SECRET`).
    var clientID: String
    var clientSecret: String
    /// How often queued restocks are retried (`ORDERS_RESTOCK_RETRY_SECONDS`, the first backoff step).
    var restockRetryInterval: Duration

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: OrdersApp.identity, calls: ["catalog", "customers"], environment: &environment)
        clientID = environment.string("ORDERS_CLIENT_ID", default: "orders")
        clientSecret = environment.raw("ORDERS_CLIENT_SECRET") ?? ""
        restockRetryInterval = environment.seconds("ORDERS_RESTOCK_RETRY_SECONDS", default: .seconds(5), in: 0.05...3600)
    }
}
