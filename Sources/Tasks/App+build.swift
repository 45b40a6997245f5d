import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Build the tasks application; used by `main` and by the tests (which may move the clock).
func buildApplication(_ configuration: TasksConfiguration, httpClient: FlotillaHTTPClient? = nil, clock: @escaping @Sendable () -> Date = Date.init) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: TasksApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let store = TaskStore(pool: service.pool)
    let writer = TaskWriter(store: store, clock: clock)
    let projects = ProjectAccessClient(
        upstream: service.upstream("projects"),
        cache: RedisCache(client: service.redis, name: "project_access", prefix: configuration.redisKeyPrefix + "access:",
                          ttl: configuration.accessTTL, metrics: runtime.metrics, logger: runtime.logger))
    let access = TaskAccess(store: store, projects: projects)
    let metrics = TasksMetrics(registry: runtime.metrics)
    service.publishEvents()
    service.consumeEvents(from: TaskEventHandlers.sources, handlers: TaskEventHandlers(writer: writer, projects: projects).handlers)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    // The literal /tasks/bulk before /tasks/{ref}.
    BulkController(pool: service.pool, writer: writer, access: access, maxTasks: configuration.bulkMax).addRoutes(to: authenticated)
    TaskController(pool: service.pool, store: store, writer: writer, list: TaskList(pool: service.pool), access: access, metrics: metrics)
        .addRoutes(to: authenticated)
    LinkController(dependencies: DependencyStore(pool: service.pool), access: access).addRoutes(to: authenticated)
    let totals = PeriodicTask("task totals", every: .seconds(30), logger: runtime.logger) { try await metrics.refresh(from: service.pool) }
    return service.makeApplication(router: router, services: [totals])
}
