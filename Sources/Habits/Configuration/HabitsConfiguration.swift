import FlotillaKit

/// The habits service's settings, from the environment: the kit's shared ones, then its own.
struct HabitsConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// How long a list, stats or summary answer may be served from Redis
    /// (`HABITS_CACHE_TTL_SECONDS`, 60); every write drops the owner's entries at once.
    var cacheTTL: Duration
    /// Prefix of the service's Redis keys (`HABITS_REDIS_PREFIX`).
    var redisKeyPrefix: String
    /// Active (not archived) habits one user may have (`HABITS_MAX_ACTIVE_PER_USER`, 100).
    var maxActiveHabitsPerUser: Int

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: HabitsApp.identity, environment: &environment)
        cacheTTL = environment.seconds("HABITS_CACHE_TTL_SECONDS", default: .seconds(60), in: 0.05...3600)
        redisKeyPrefix = environment.string("HABITS_REDIS_PREFIX", default: "flotilla:habits:")
        maxActiveHabitsPerUser = environment.integer("HABITS_MAX_ACTIVE_PER_USER", default: 100, in: 1...10_000)
    }
}
