import FlotillaKit

/// The projects service's settings, from the environment: the kit's shared ones, then its own.
struct ProjectsConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// How long stats may be served from Redis (`PROJECTS_STATS_TTL_SECONDS`, 60); each task
    /// event about the project drops them at once.
    var statsTTL: Duration
    /// Prefix of the service's Redis keys (`PROJECTS_REDIS_PREFIX`).
    var redisKeyPrefix: String

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: ProjectsApp.identity, environment: &environment)
        statsTTL = environment.seconds("PROJECTS_STATS_TTL_SECONDS", default: .seconds(60), in: 0.05...3600)
        redisKeyPrefix = environment.string("PROJECTS_REDIS_PREFIX", default: "flotilla:projects:")
    }
}
