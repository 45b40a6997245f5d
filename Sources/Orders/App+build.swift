import FlotillaKit
import Hummingbird
import Logging

/// Build the orders application; used by `main` and by the tests.
func buildApplication(_ configuration: OrdersConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let runtime = ServiceRuntime(configuration: configuration.service)
    let pool = runtime.makePostgresPool(configuration.database, migrations: EmbeddedMigrations.all)
    let redis = runtime.makeRedisClient(configuration.redis, criticality: .optional)
    let client = httpClient ?? FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-orders/\(OrdersApp.identity.version)"))
    let urls = EnvironmentReader(configuration.urls)
    let auth = runtime.makeUpstream("auth", defaultURL: Fleet.member("auth")!.localURL, environment: urls, client: client)
    let verifier = runtime.makeTokenVerifier(configuration.verification, environment: urls, client: client, denylist: TokenDenylist(client: redis), upstream: auth)
    let upstreams = CheckoutUpstreams(
        catalog: runtime.makeUpstream("catalog", defaultURL: Fleet.member("catalog")!.localURL, environment: urls, client: client),
        customers: runtime.makeUpstream("customers", defaultURL: Fleet.member("customers")!.localURL, environment: urls, client: client),
        serviceToken: ServiceTokenProvider(upstream: auth, clientID: configuration.clientID, clientSecret: configuration.clientSecret, scope: "catalog:inventory"))

    if configuration.clientSecret.isEmpty {
        runtime.logger.warning("ORDERS_CLIENT_SECRET is not set: restocks after a failed checkout or a cancellation wait in the queue")
    }
    let restocks = RestockQueue(pool: pool)
    runtime.healthChecks.register(RestockQueueHealthCheck(queue: restocks, hasCredentials: !configuration.clientSecret.isEmpty))
    let retrier = RestockRetrier(queue: restocks, upstreams: upstreams, interval: configuration.restockRetryInterval, logger: runtime.logger)
    let router = runtime.makeRouter()
    router.addOpenAPIDocument(EmbeddedOpenAPI.json)
    let authenticated = router.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
    OrderController(orders: OrderRepository(pool: pool), saga: CheckoutSaga(upstreams: upstreams, restocks: restocks, logger: runtime.logger))
        .addRoutes(to: authenticated)
    return runtime.makeApplication(router: router, services: httpClient == nil ? [pool, redis, client, retrier] : [pool, redis, retrier])
}
