import FlotillaKit
import Hummingbird
import Logging

/// Build the orders application; used by `main` and by the tests.
func buildApplication(_ configuration: OrdersConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: OrdersApp.migrations, httpClient: httpClient)
    service.publishEvents()
    let runtime = service.runtime
    let upstreams = CheckoutUpstreams(
        catalog: service.upstream("catalog"), customers: service.upstream("customers"),
        serviceToken: ServiceTokenProvider(
            upstream: service.upstream("auth"), clientID: configuration.clientID, clientSecret: configuration.clientSecret, scope: "catalog:inventory"))

    if configuration.clientSecret.isEmpty {
        runtime.logger.warning("ORDERS_CLIENT_SECRET is not set: restocks after a failed checkout or a cancellation wait in the queue")
    }
    let restocks = RestockQueue(pool: service.pool)
    runtime.healthChecks.register(RestockQueueHealthCheck(queue: restocks, hasCredentials: !configuration.clientSecret.isEmpty))
    let retrier = RestockRetrier(queue: restocks, upstreams: upstreams, interval: configuration.restockRetryInterval, logger: runtime.logger)
    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    OrderController(orders: OrderRepository(pool: service.pool), saga: CheckoutSaga(upstreams: upstreams, restocks: restocks, logger: runtime.logger))
        .addRoutes(to: service.authenticated(router))
    return service.makeApplication(router: router, services: [retrier])
}
