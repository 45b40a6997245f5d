public import Hummingbird
public import ServiceLifecycle
import Synchronization

/// The parts every service with its own PostgreSQL schema and Redis is made of, built once
/// from a ``DataServiceConfiguration``: the runtime (logger, metrics, health), the pool (with
/// the service's migrations), the Redis client, the libcurl HTTP client, the token verifier,
/// one ``Upstream`` per called service, and the event bus's relay and consumers. A service's
/// `buildApplication` makes one, adds its own domain, and ends with ``makeApplication(router:services:)``.
public final class DataService: Sendable {
    public let configuration: DataServiceConfiguration
    public let runtime: ServiceRuntime
    public let pool: PostgresPool
    public let redis: RedisClient
    public let httpClient: FlotillaHTTPClient
    public let verifier: TokenVerifier
    private let ownsHTTPClient: Bool
    private let upstreams = Mutex<[String: Upstream]>([:])
    private let eventServices = Mutex<[any Service]>([])

    /// Build the shared parts. `migrations` are the service's schema; `httpClient` is passed by
    /// tests that share one client between many applications (then the caller shuts it down).
    public init(
        _ configuration: DataServiceConfiguration,
        migrations: [Migration],
        redisCriticality: HealthCheckCriticality = .optional,
        httpClient: FlotillaHTTPClient? = nil
    ) {
        self.configuration = configuration
        let runtime = ServiceRuntime(configuration: configuration.service)
        self.runtime = runtime
        pool = runtime.makePostgresPool(configuration.database, migrations: migrations)
        redis = runtime.makeRedisClient(configuration.redis, criticality: redisCriticality)
        let identity = configuration.service.identity
        self.httpClient = httpClient ?? FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-\(identity.name)/\(identity.version)"))
        ownsHTTPClient = httpClient == nil
        let auth = runtime.makeUpstream(
            "auth", defaultURL: configuration.url(of: "auth"), environment: EnvironmentReader([:]), client: self.httpClient)
        upstreams.withLock { $0["auth"] = auth }
        verifier = runtime.makeTokenVerifier(
            configuration.verification, environment: EnvironmentReader([:]), client: self.httpClient,
            denylist: TokenDenylist(client: redis), upstream: auth)
    }

    /// The upstream for service `name` (declared in the configuration's `calls`), made once.
    public func upstream(_ name: String, policy: Upstream.Policy = Upstream.Policy()) -> Upstream {
        upstreams.withLock { made in
            if let upstream = made[name] { return upstream }
            let upstream = runtime.makeUpstream(
                name, defaultURL: configuration.url(of: name), environment: EnvironmentReader([:]), client: httpClient, policy: policy)
            made[name] = upstream
            return upstream
        }
    }

    /// The kit's router (ops endpoints, middleware) with the service's OpenAPI document and,
    /// for services with events, its event catalogue.
    public func makeRouter(openAPIJSON: String, eventCatalogueJSON: String? = nil) -> Router<FlotillaRequestContext> {
        let router = runtime.makeRouter()
        router.addOpenAPIDocument(openAPIJSON)
        if let eventCatalogueJSON { router.addEventCatalogue(eventCatalogueJSON) }
        return router
    }

    /// A group of `router` whose routes require a verified access token.
    public func authenticated(_ router: Router<FlotillaRequestContext>) -> RouterGroup<FlotillaRequestContext> {
        router.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
    }

    /// Run `service` with the application (the event bus's relay and consumers use this).
    func addBackgroundService(_ service: any Service) {
        eventServices.withLock { $0.append(service) }
    }

    /// The lifecycle services the application runs beside its server: the pool, Redis, the
    /// HTTP client (when this service made it), then the event bus's relay and consumers.
    /// Tools that need them without a server (`flotilla bench events`) run these.
    public var lifecycleServices: [any Service] {
        let parts: [any Service] = ownsHTTPClient ? [pool, redis, httpClient] : [pool, redis]
        return parts + eventServices.withLock { $0 }
    }

    /// The application: ``lifecycleServices``, then `services`, beside the HTTP server.
    public func makeApplication(router: Router<FlotillaRequestContext>, services: [any Service] = []) -> FlotillaApplication {
        runtime.makeApplication(router: router, services: lifecycleServices + services)
    }
}
