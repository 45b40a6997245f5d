import FlotillaKit
import Hummingbird

/// Build the customers application; used by `main` and by the tests.
func buildApplication(_ configuration: CustomersConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let runtime = ServiceRuntime(configuration: configuration.service)
    let pool = runtime.makePostgresPool(configuration.database, migrations: EmbeddedMigrations.all)
    // Redis holds only the token denylist here; without it authenticated routes answer 503.
    let redis = runtime.makeRedisClient(configuration.redis, criticality: .optional)
    let client = httpClient ?? FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-customers/\(CustomersApp.identity.version)"))
    let urls = EnvironmentReader([Upstream.urlVariable(for: "auth"): configuration.authURL, Upstream.urlVariable(for: "orders"): configuration.ordersURL])
    let verifier = runtime.makeTokenVerifier(configuration.verification, environment: urls, client: client, denylist: TokenDenylist(client: redis))
    let orders = OrdersClient(upstream: runtime.makeUpstream("orders", defaultURL: configuration.ordersURL, environment: urls, client: client))

    let router = runtime.makeRouter()
    router.addOpenAPIDocument(EmbeddedOpenAPI.json)
    let authenticated = router.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
    CustomerController(customers: CustomerRepository(pool: pool), orders: orders).addRoutes(to: authenticated)
    return runtime.makeApplication(router: router, services: httpClient == nil ? [pool, redis, client] : [pool, redis])
}
