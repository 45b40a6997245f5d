import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Build the comments application; used by `main` and by the tests (which may move the clock).
func buildApplication(_ configuration: CommentsConfiguration, httpClient: FlotillaHTTPClient? = nil, clock: @escaping @Sendable () -> Date = Date.init) -> FlotillaApplication {
    let service = DataService(configuration.base, migrations: CommentsApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let cache = { (name: String, ttl: Duration) in
        RedisCache(client: service.redis, name: name, prefix: configuration.redisKeyPrefix + name + ":", ttl: ttl, metrics: runtime.metrics, logger: runtime.logger)
    }
    let access = CommentAccess(
        entities: EntityAccessClient(upstream: { service.upstream($0) }, cache: cache("entity_access", configuration.accessTTL)),
        projects: ProjectAccessClient(upstream: service.upstream("projects"), cache: cache("project_access", configuration.accessTTL)))
    let metrics = CommentsMetrics(registry: runtime.metrics)
    let comments = CommentRepository(pool: service.pool)
    let writer = CommentWriter(pool: service.pool, policy: EditPolicy(grace: configuration.editGrace), clock: clock)
    service.publishEvents()
    service.consumeEvents(from: CommentEventHandlers.sources, handlers: CommentEventHandlers(writer: writer).handlers)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    let single = CommentController(
        comments: comments, writer: writer, access: access,
        mentions: MentionResolver(handles: HandleResolver(upstream: service.upstream("users")), access: access),
        maxBodyLength: configuration.maxBodyLength, metrics: metrics)
    single.addRoutes(to: authenticated)
    ThreadController(comments: comments, access: access, single: single).addRoutes(to: authenticated)
    ReactionController(reactions: ReactionRepository(pool: service.pool), comments: comments, single: single, metrics: metrics).addRoutes(to: authenticated)
    return service.makeApplication(router: router)
}
