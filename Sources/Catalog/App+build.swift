import FlotillaKit
import Hummingbird

/// Build the catalog application; used by `main` and by the tests.
func buildApplication(_ configuration: CatalogConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: CatalogApp.migrations, httpClient: httpClient)
    service.publishEvents()
    let products = ProductRepository(pool: service.pool, lowStockThreshold: configuration.lowStockThreshold)
    let cache = RedisCache(
        client: service.redis, name: "product", prefix: configuration.redisKeyPrefix + "product-json:", ttl: configuration.productCacheTTL,
        metrics: service.runtime.metrics, logger: service.runtime.logger)
    let productRoutes = ProductController(products: products, cache: cache)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    productRoutes.addPublicRoutes(to: router)
    let authenticated = service.authenticated(router)
    productRoutes.addEditorRoutes(to: authenticated)
    InventoryController(products: products, cache: cache).addRoutes(to: authenticated)
    return service.makeApplication(router: router)
}
