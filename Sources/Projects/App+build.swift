import FlotillaKit
import Hummingbird

/// Build the projects application; used by `main` and by the tests.
func buildApplication(_ configuration: ProjectsConfiguration, httpClient: FlotillaHTTPClient? = nil) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: ProjectsApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let projects = ProjectRepository(pool: service.pool)
    let workflow = WorkflowRepository(pool: service.pool)
    let access = ProjectAccess(projects: projects)
    let statsCache = RedisCache(
        client: service.redis, name: "project_stats", prefix: configuration.redisKeyPrefix + "stats:", ttl: configuration.statsTTL,
        metrics: runtime.metrics, logger: runtime.logger)
    service.publishEvents()
    service.consumeEvents(from: ProjectEventHandlers.sources, handlers: ProjectEventHandlers(cache: statsCache).handlers)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    ProjectController(projects: projects, access: access, metrics: ProjectsMetrics(registry: runtime.metrics)).addRoutes(to: authenticated)
    let members = MemberRepository(pool: service.pool)
    MemberController(members: members, access: access).addRoutes(to: authenticated)
    WorkflowController(workflow: workflow, access: access).addRoutes(to: authenticated)
    MilestoneController(milestones: MilestoneRepository(pool: service.pool), access: access).addRoutes(to: authenticated)
    StatsController(access: access, projection: TaskProjection(pool: service.pool), workflow: workflow, members: members, cache: statsCache).addRoutes(to: authenticated)
    return service.makeApplication(router: router)
}
