import FlotillaKit
import Hummingbird

/// Build the catalog application; used by `main` and by the tests.
func buildApplication(_ configuration: CatalogConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let runtime = ServiceRuntime(configuration: configuration.service)
    let pool = runtime.makePostgresPool(configuration.database, migrations: EmbeddedMigrations.all)
    let redis = runtime.makeRedisClient(configuration.redis, criticality: .optional)
    let client = httpClient ?? FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-catalog/\(CatalogApp.identity.version)"))
    let verifier = runtime.makeTokenVerifier(
        configuration.verification, environment: EnvironmentReader([Upstream.urlVariable(for: "auth"): configuration.authURL]),
        client: client, denylist: TokenDenylist(client: redis))

    let products = ProductRepository(pool: pool)
    let cache = RedisCache(
        client: redis, name: "product", prefix: configuration.redisKeyPrefix + "product:", ttl: configuration.productCacheTTL,
        metrics: runtime.metrics, logger: runtime.logger)
    let productRoutes = ProductController(products: products, cache: cache)

    let router = runtime.makeRouter()
    router.addOpenAPIDocument(EmbeddedOpenAPI.json)
    productRoutes.addPublicRoutes(to: router)
    let authenticated = router.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
    productRoutes.addEditorRoutes(to: authenticated)
    InventoryController(products: products, cache: cache).addRoutes(to: authenticated)
    return runtime.makeApplication(router: router, services: httpClient == nil ? [pool, redis, client] : [pool, redis])
}
