import FlotillaKit
import Hummingbird

/// Build the habits application; used by `main` and by the tests (which may move the clock).
func buildApplication(_ configuration: HabitsConfiguration, httpClient: FlotillaHTTPClient? = nil, clock: HabitClock = .system) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: HabitsApp.migrations, httpClient: httpClient)
    service.publishEvents()
    let habits = HabitRepository(pool: service.pool, maxActivePerUser: configuration.maxActiveHabitsPerUser)
    let checkIns = CheckInRepository(pool: service.pool)
    let access = HabitAccess(habits: habits)
    let cache = HabitsCache(cache: RedisCache(
        client: service.redis, name: "habits", prefix: configuration.redisKeyPrefix, ttl: configuration.cacheTTL,
        metrics: service.runtime.metrics, logger: service.runtime.logger))
    let metrics = HabitsMetrics(registry: service.runtime.metrics)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    // Literal paths (/habits/today, /habits/summary) before /habits/{id}.
    ProgressController(habits: habits, checkIns: checkIns, access: access, cache: cache, clock: clock).addRoutes(to: authenticated)
    HabitController(habits: habits, access: access, cache: cache, clock: clock, metrics: metrics).addRoutes(to: authenticated)
    CheckInController(checkIns: checkIns, access: access, cache: cache, clock: clock, metrics: metrics).addRoutes(to: authenticated)
    let totals = PeriodicTask("habit totals", every: .seconds(30), logger: service.runtime.logger) { try await metrics.refresh(from: habits) }
    return service.makeApplication(router: router, services: [totals])
}
