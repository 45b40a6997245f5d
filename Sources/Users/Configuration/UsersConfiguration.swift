import FlotillaKit

/// The users service's settings, from the environment: the kit's shared ones, then its own.
struct UsersConfiguration: Sendable {
    var base: DataServiceConfiguration
    /// How long a new invitation stays valid (`USERS_INVITATION_TTL_SECONDS`, 7 days).
    var invitationLifetime: Duration
    /// How long handle resolutions may be served from Redis (`USERS_RESOLVE_TTL_SECONDS`,
    /// 300); every change that can alter one drops them all at once.
    var resolveTTL: Duration
    /// Prefix of the service's Redis keys (`USERS_REDIS_PREFIX`).
    var redisKeyPrefix: String

    init(environment: inout EnvironmentReader) {
        base = DataServiceConfiguration(identity: UsersApp.identity, environment: &environment)
        invitationLifetime = environment.seconds("USERS_INVITATION_TTL_SECONDS", default: .seconds(7 * 86_400), in: 60...(90 * 86_400))
        resolveTTL = environment.seconds("USERS_RESOLVE_TTL_SECONDS", default: .seconds(300), in: 0.05...86_400)
        redisKeyPrefix = environment.string("USERS_REDIS_PREFIX", default: "flotilla:users:")
    }
}
