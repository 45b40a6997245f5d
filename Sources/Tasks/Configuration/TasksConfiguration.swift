import FlotillaKit

/// The tasks service's settings, from the environment: the kit's shared ones (it calls
/// `projects`, `PROJECTS_SERVICE_URL`), then its own.
struct TasksConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// How long an answer from projects about a caller's access may be served from Redis
    /// (`TASKS_ACCESS_TTL_SECONDS`, 300); membership and workflow events drop it at once, so
    /// this bounds only how long cached access outlives an outage of projects.
    var accessTTL: Duration
    /// Prefix of the service's Redis keys (`TASKS_REDIS_PREFIX`).
    var redisKeyPrefix: String
    /// Tasks one bulk update may change (`TASKS_BULK_MAX`, 100).
    var bulkMax: Int

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: TasksApp.identity, calls: ["projects"], environment: &environment)
        accessTTL = environment.seconds("TASKS_ACCESS_TTL_SECONDS", default: .seconds(300), in: 0.05...86_400)
        redisKeyPrefix = environment.string("TASKS_REDIS_PREFIX", default: "flotilla:tasks:")
        bulkMax = environment.integer("TASKS_BULK_MAX", default: 100, in: 1...1000)
    }
}
