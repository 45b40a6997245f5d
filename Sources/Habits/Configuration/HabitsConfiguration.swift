import FlotillaKit

/// The habits service's settings, from the environment.
struct HabitsConfiguration: Sendable {
    var service: ServiceConfiguration
    var database: PostgresConfiguration
    var redis: RedisConfiguration
    var verification: TokenVerifierConfiguration
    /// How long a list, stats or summary answer may be served from Redis
    /// (`HABITS_CACHE_TTL_SECONDS`, 60); every write drops the owner's entries at once.
    var cacheTTL: Duration
    /// Prefix of the service's Redis keys (`HABITS_REDIS_PREFIX`).
    var redisKeyPrefix: String
    /// Active (not archived) habits one user may have (`HABITS_MAX_ACTIVE_PER_USER`, 100).
    var maxActiveHabitsPerUser: Int
    /// The auth service's URL, for its JWKS.
    var authURL: String

    init(environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: HabitsApp.identity, environment: &environment)
        database = PostgresConfiguration(environment: &environment, applicationName: HabitsApp.identity.name)
        redis = RedisConfiguration(environment: &environment)
        verification = TokenVerifierConfiguration(environment: &environment)
        cacheTTL = environment.seconds("HABITS_CACHE_TTL_SECONDS", default: .seconds(60), in: 0.05...3600)
        redisKeyPrefix = environment.string("HABITS_REDIS_PREFIX", default: "flotilla:habits:")
        maxActiveHabitsPerUser = environment.integer("HABITS_MAX_ACTIVE_PER_USER", default: 100, in: 1...10_000)
        authURL = environment.string(Upstream.urlVariable(for: "auth"), default: Fleet.member("auth")!.localURL)
    }
}
