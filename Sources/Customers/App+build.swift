import FlotillaKit
import Hummingbird

/// Build the customers application; used by `main` and by the tests.
func buildApplication(_ configuration: CustomersConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    // Redis holds only the token denylist here; without it authenticated routes answer 503.
    let service = DataService(configuration.base, migrations: EmbeddedMigrations.all, httpClient: httpClient)
    let orders = OrdersClient(upstream: service.upstream("orders"))
    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json)
    CustomerController(customers: CustomerRepository(pool: service.pool), orders: orders).addRoutes(to: service.authenticated(router))
    return service.makeApplication(router: router)
}
