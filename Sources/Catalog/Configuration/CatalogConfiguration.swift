import FlotillaKit

/// The catalog service's settings, from the environment.
struct CatalogConfiguration: Sendable {
    var service: ServiceConfiguration
    var database: PostgresConfiguration
    var redis: RedisConfiguration
    var verification: TokenVerifierConfiguration
    /// How long `GET /products/{id}` answers are cached (`PRODUCT_CACHE_TTL_SECONDS`, 60).
    var productCacheTTL: Duration
    /// Prefix of the service's Redis keys (`CATALOG_REDIS_PREFIX`).
    var redisKeyPrefix: String
    /// The auth service's URL, for its JWKS.
    var authURL: String

    init(environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: CatalogApp.identity, environment: &environment)
        database = PostgresConfiguration(environment: &environment, applicationName: CatalogApp.identity.name)
        redis = RedisConfiguration(environment: &environment)
        verification = TokenVerifierConfiguration(environment: &environment)
        productCacheTTL = environment.seconds("PRODUCT_CACHE_TTL_SECONDS", default: .seconds(60), in: 0.05...86_400)
        redisKeyPrefix = environment.string("CATALOG_REDIS_PREFIX", default: "flotilla:catalog:")
        authURL = environment.string(Upstream.urlVariable(for: "auth"), default: Fleet.member("auth")!.localURL)
    }
}
