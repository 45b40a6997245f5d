import FlotillaKit

/// The comments service's settings, from the environment: the kit's shared ones (it calls
/// the owners of what is commented on, `tasks` and `projects`, and `users` for mentions),
/// then its own.
struct CommentsConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// The longest body, in characters (`COMMENTS_MAX_BODY_CHARACTERS`, 65 536).
    var maxBodyLength: Int
    /// How long after posting an edit replaces without keeping a revision
    /// (`COMMENTS_EDIT_GRACE_SECONDS`, 300).
    var editGrace: Duration
    /// How long an owner's answer about a caller's access may be served from Redis
    /// (`COMMENTS_ACCESS_TTL_SECONDS`, 60).
    var accessTTL: Duration
    /// Prefix of the service's Redis keys (`COMMENTS_REDIS_PREFIX`).
    var redisKeyPrefix: String

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: CommentsApp.identity, calls: ["projects", "tasks", "users"], environment: &environment)
        maxBodyLength = environment.integer("COMMENTS_MAX_BODY_CHARACTERS", default: 65_536, in: 100...1_000_000)
        editGrace = environment.seconds("COMMENTS_EDIT_GRACE_SECONDS", default: .seconds(300), in: 0...86_400)
        accessTTL = environment.seconds("COMMENTS_ACCESS_TTL_SECONDS", default: .seconds(60), in: 0.05...86_400)
        redisKeyPrefix = environment.string("COMMENTS_REDIS_PREFIX", default: "flotilla:comments:")
    }
}
