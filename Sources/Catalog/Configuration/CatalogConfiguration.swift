import FlotillaKit

/// The catalog service's settings, from the environment: the kit's shared ones, then its own.
struct CatalogConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// How long `GET /products/{id}` answers are cached (`PRODUCT_CACHE_TTL_SECONDS`, 60).
    var productCacheTTL: Duration
    /// Prefix of the service's Redis keys (`CATALOG_REDIS_PREFIX`).
    var redisKeyPrefix: String
    /// Stock below which a purchase records `product.low_stock` (`CATALOG_LOW_STOCK_THRESHOLD`, 5).
    var lowStockThreshold: Int

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: CatalogApp.identity, environment: &environment)
        productCacheTTL = environment.seconds("PRODUCT_CACHE_TTL_SECONDS", default: .seconds(60), in: 0.05...86_400)
        redisKeyPrefix = environment.string("CATALOG_REDIS_PREFIX", default: "flotilla:catalog:")
        lowStockThreshold = environment.integer("CATALOG_LOW_STOCK_THRESHOLD", default: 5, in: 0...1_000_000)
    }
}
