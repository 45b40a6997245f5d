import FlotillaKit
import Hummingbird
import Prometheus
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Build the files application; used by `main` and by the tests. Throws when the storage
/// directory cannot be made.
func buildApplication(_ configuration: FilesConfiguration, httpClient: FlotillaHTTPClient? = nil) throws -> FlotillaApplication {
    var configuration = configuration
    // Uploads stream past the kit's body limit (the upload routes enforce their own); JSON
    // routes keep a small one (``jsonBodyLimit``).
    configuration.base.service.maxBodyBytes = Int(configuration.maxUploadBytes)
    let service = DataService(configuration.base, migrations: FilesApp.migrations, httpClient: httpClient)
    let runtime = service.runtime
    let store = try configuration.makeBlobStore(runtime: runtime, client: service.httpClient)
    let cache = { (name: String) in
        RedisCache(client: service.redis, name: name, prefix: configuration.redisKeyPrefix + name + ":", ttl: configuration.accessTTL,
                   metrics: runtime.metrics, logger: runtime.logger)
    }
    let shares = ShareRepository(pool: service.pool)
    let access = FileAccess(
        entities: EntityAccessClient(upstream: { service.upstream($0) }, cache: cache("entity_access")),
        projects: ProjectAccessClient(upstream: service.upstream("projects"), cache: cache("project_access")), shares: shares)
    let metrics = FilesMetrics(registry: runtime.metrics)
    let quotas = Quotas(perUser: configuration.userQuotaBytes, perProject: configuration.projectQuotaBytes)
    let writer = FileWriter(pool: service.pool, store: store, quotas: quotas, keepVersions: configuration.keepVersions)
    let ingest = Ingest(
        store: store, writer: writer, quotas: quotas, pool: service.pool, maxUpload: configuration.maxUploadBytes, allowedTypes: configuration.allowedTypes,
        metrics: metrics)
    let hasher = PasswordHasher(parameters: .init(logN: configuration.linkPasswordLogN, blockSize: 8, parallelism: 1), maxConcurrent: 2)
    let files = FileRepository(pool: service.pool)
    let responder = ContentResponder(store: store)
    let uploads = UploadRepository(pool: service.pool, expiry: configuration.uploadExpiry)
    service.publishEvents()
    service.consumeEvents(from: FileEventHandlers.sources, handlers: FileEventHandlers(writer: writer).handlers)

    let router = service.makeRouter(openAPIJSON: EmbeddedOpenAPI.json, eventCatalogueJSON: EmbeddedEventCatalogue.json)
    let authenticated = service.authenticated(router)
    let json = authenticated.group().add(middleware: BodyLimitMiddleware(limit: jsonBodyLimit))
    let single = FileController(files: files, writer: writer, ingest: ingest, access: access, responder: responder, metrics: metrics)
    single.addRoutes(uploads: authenticated, json: json)
    VersionController(files: files, writer: writer, single: single, responder: responder).addRoutes(to: json)
    ShareController(shares: shares, single: single, hasher: hasher, metrics: metrics).addRoutes(to: json)
    TusController(
        uploads: uploads, store: store, ingest: ingest, access: access, files: files, redis: service.redis, lockPrefix: configuration.redisKeyPrefix + "upload-lock:").addRoutes(to: authenticated)
    PublicLinkController(shares: shares, files: files, hasher: hasher, responder: responder, metrics: metrics).addRoutes(to: router)

    let collector = BlobCollector(pool: service.pool, store: store, grace: configuration.collectorGrace, logger: runtime.logger)
    let housekeeping = PeriodicTask("blob collection", every: configuration.collectorInterval, logger: runtime.logger) {
        metrics.blobsCollected.increment(by: Int64(try await collector.collect()))
        for expired in try await uploads.removeExpired() { await store.removePartial(expired) }
    }
    return service.makeApplication(router: router, services: [housekeeping])
}

/// The largest JSON body the files service reads (shares, links).
let jsonBodyLimit = 64 * 1024
