import FlotillaKit
import Hummingbird

/// Build the habits application; used by `main` and by the tests (which may move the clock).
func buildApplication(_ configuration: HabitsConfiguration, httpClient: FlotillaHTTPClient? = nil, clock: HabitClock = .system) -> FlotillaApplication {
    let runtime = ServiceRuntime(configuration: configuration.service)
    let pool = runtime.makePostgresPool(configuration.database, migrations: HabitsApp.migrations)
    let redis = runtime.makeRedisClient(configuration.redis, criticality: .optional)
    let client = httpClient ?? FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-habits/\(HabitsApp.identity.version)"))
    let verifier = runtime.makeTokenVerifier(
        configuration.verification, environment: EnvironmentReader([Upstream.urlVariable(for: "auth"): configuration.authURL]),
        client: client, denylist: TokenDenylist(client: redis))

    let habits = HabitRepository(pool: pool, maxActivePerUser: configuration.maxActiveHabitsPerUser)
    let checkIns = CheckInRepository(pool: pool)
    let access = HabitAccess(habits: habits)
    let cache = HabitsCache(cache: RedisCache(
        client: redis, name: "habits", prefix: configuration.redisKeyPrefix, ttl: configuration.cacheTTL,
        metrics: runtime.metrics, logger: runtime.logger))
    let metrics = HabitsMetrics(registry: runtime.metrics)

    let router = runtime.makeRouter()
    router.addOpenAPIDocument(EmbeddedOpenAPI.json)
    let authenticated = router.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
    // Literal paths (/habits/today, /habits/summary) before /habits/{id}.
    ProgressController(habits: habits, checkIns: checkIns, access: access, cache: cache, clock: clock).addRoutes(to: authenticated)
    HabitController(habits: habits, access: access, cache: cache, clock: clock, metrics: metrics).addRoutes(to: authenticated)
    CheckInController(checkIns: checkIns, access: access, cache: cache, clock: clock, metrics: metrics).addRoutes(to: authenticated)
    let totals = HabitTotalsRefresher(habits: habits, metrics: metrics, interval: .seconds(30), logger: runtime.logger)
    return runtime.makeApplication(router: router, services: (httpClient == nil ? [pool, redis, client] : [pool, redis]) + [totals])
}
