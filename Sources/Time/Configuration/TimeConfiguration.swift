import FlotillaKit

/// The time service's settings, from the environment: the kit's shared ones (it calls
/// `projects` and `tasks`), then its own.
struct TimeConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// Timers one person may have running (`TIME_MAX_RUNNING_TIMERS`, 1): starting one more
    /// stops the oldest running one.
    var maxRunningTimers: Int
    /// Whether one person's entries may overlap (`TIME_ALLOW_OVERLAP`, false).
    var allowOverlap: Bool
    /// Rounding for projects without their own (`TIME_ROUNDING_MINUTES`, 1, and
    /// `TIME_ROUNDING_MODE`, `default`): to the minute, begin down and end up.
    var rounding: Rounding
    /// How long projects' answers about a caller's access may be served from Redis
    /// (`TIME_ACCESS_TTL_SECONDS`, 300); membership events drop them at once.
    var accessTTL: Duration
    /// Prefix of the service's Redis keys (`TIME_REDIS_PREFIX`).
    var redisKeyPrefix: String

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: TimeApp.identity, calls: ["projects", "tasks"], environment: &environment)
        maxRunningTimers = environment.integer("TIME_MAX_RUNNING_TIMERS", default: 1, in: 1...10)
        allowOverlap = environment.boolean("TIME_ALLOW_OVERLAP", default: false)
        rounding = Rounding(
            minutes: environment.integer("TIME_ROUNDING_MINUTES", default: 1, in: 1...60),
            mode: environment.choice("TIME_ROUNDING_MODE", default: Rounding.Mode.default))
        accessTTL = environment.seconds("TIME_ACCESS_TTL_SECONDS", default: .seconds(300), in: 0.05...86_400)
        redisKeyPrefix = environment.string("TIME_REDIS_PREFIX", default: "flotilla:time:")
    }
}
