import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Build the time application; used by `main` and by the tests (which may move the clock).
func buildApplication(_ configuration: TimeConfiguration, httpClient: FlotillaHTTPClient? = nil, clock: @escaping @Sendable () -> Date = Date.init) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: TimeApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let projects = ProjectAccessClient(
        upstream: service.upstream("projects"),
        cache: RedisCache(client: service.redis, name: "project_access", prefix: configuration.redisKeyPrefix + "access:",
                          ttl: configuration.accessTTL, metrics: runtime.metrics, logger: runtime.logger))
    let access = TimeAccess(projects: projects)
    let zones = UserZones(zones: .system)
    let settings = ProjectSettingsStore(pool: service.pool, globalRounding: configuration.rounding)
    let writer = EntryWriter(
        pool: service.pool, settings: settings, zones: zones, maxRunning: configuration.maxRunningTimers, allowOverlap: configuration.allowOverlap, clock: clock)
    let metrics = TimeMetrics(registry: runtime.metrics)
    service.publishEvents()
    service.consumeEvents(from: TimeEventHandlers.sources, handlers: TimeEventHandlers(projects: projects).handlers)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    let entries = EntryController(store: EntryStore(pool: service.pool), writer: writer, access: access, tasks: TaskChecker(upstream: service.upstream("tasks")), zones: zones,
        metrics: metrics)
    entries.addRoutes(to: authenticated)
    TimerController(writer: writer, entries: entries).addRoutes(to: authenticated)
    TimesheetController(timesheets: TimesheetRepository(pool: service.pool), access: access, metrics: metrics).addRoutes(to: authenticated)
    SettingsController(settings: settings, access: access).addRoutes(to: authenticated)
    ReportController(report: TimeReport(pool: service.pool, zones: .system), access: access, zones: zones, pool: service.pool).addRoutes(to: authenticated)
    return service.makeApplication(router: router)
}
