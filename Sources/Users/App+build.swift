import FlotillaKit
import Hummingbird

/// Build the users application; used by `main` and by the tests.
func buildApplication(_ configuration: UsersConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: UsersApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let profiles = ProfileRepository(pool: service.pool)
    let organizations = OrganizationRepository(pool: service.pool)
    let access = OrganizationAccess(organizations: organizations)
    let metrics = UsersMetrics(registry: runtime.metrics)
    let handles = HandleDirectory(
        profiles: profiles,
        cache: RedisCache(client: service.redis, name: "handles", prefix: configuration.redisKeyPrefix + "resolve:", ttl: configuration.resolveTTL,
                          metrics: runtime.metrics, logger: runtime.logger))
    service.publishEvents()
    service.consumeEvents(from: UserEventHandlers.sources, handlers: UserEventHandlers(handles: handles).handlers)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    ProfileController(profiles: profiles, offboarding: Offboarding(pool: service.pool), handles: handles, zones: .system, metrics: metrics)
        .addRoutes(to: authenticated)
    OrganizationController(organizations: organizations, memberships: MembershipRepository(pool: service.pool), access: access, metrics: metrics)
        .addRoutes(to: authenticated)
    TeamController(teams: TeamRepository(pool: service.pool), access: access).addRoutes(to: authenticated)
    InvitationController(invitations: InvitationRepository(pool: service.pool, lifetime: configuration.invitationLifetime), access: access, metrics: metrics)
        .addRoutes(to: authenticated)
    return service.makeApplication(router: router)
}
