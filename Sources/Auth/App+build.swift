import FlotillaKit
import Hummingbird
import Logging

/// Build the auth application; used by `main` and by the tests.
func buildApplication(_ configuration: AuthConfiguration) async throws -> FlotillaApplication {
    let runtime = ServiceRuntime(configuration: configuration.service)
    let pool = runtime.makePostgresPool(configuration.database, migrations: AuthApp.migrations)
    let redis = runtime.makeRedisClient(configuration.redis)
    let ring = try await SigningKeyRing.load(configuration.signing)
    runtime.logger.info("signing keys loaded", metadata: ["active_kid": "\(ring.active.kid)", "kids": "\(ring.keys.map(\.kid).sorted())"])

    let users = UserRepository(pool: pool)
    let apiKeys = APIKeyRepository(pool: pool)
    let clients = ServiceClientRepository(pool: pool)
    let declaredClients = configuration.serviceClients
    // Registered after the migrations (which makePostgresPool scheduled first).
    runtime.beforeServerStarts {
        for client in declaredClients { try await clients.declare(client) }
        if !declaredClients.isEmpty { runtime.logger.info("service clients declared", metadata: ["clients": "\(declaredClients.map(\.clientID))"]) }
    }
    let hasher = PasswordHasher(
        parameters: configuration.passwordHashing, maxConcurrent: configuration.maxConcurrentHashes,
        busyMessage: "Too many sign-ins are in progress. Retry in a moment.")
    let policy = PasswordPolicy(commonPasswords: CommonPasswords())
    let audit = AuditLog(logger: runtime.logger, metrics: runtime.metrics)
    let denylist = TokenDenylist(client: redis)
    let verification = TokenVerificationPolicy(issuer: configuration.issuer, audience: configuration.audience)
    let sessions = SessionRepository(
        pool: pool, refreshLifetime: configuration.refreshTokenLifetime, denylist: denylist,
        accessTokenValidity: configuration.accessTokenLifetime + verification.leeway)
    let issuer = TokenIssuer(ring: ring, issuer: configuration.issuer, audience: configuration.audience, lifetime: configuration.accessTokenLifetime)
    let verifier = TokenVerifier(keys: await StaticKeySource(ring.jwks), policy: verification, denylist: denylist)

    let relay = runtime.makeOutboxRelay(pool: pool, redis: redis, database: configuration.database, settings: configuration.events)
    let account = AccountController(
        users: users, sessions: sessions, hasher: hasher, policy: policy, audit: audit, bootstrapAdminEmail: configuration.bootstrapAdminEmail)
    let login = LoginController(
        users: users, sessions: sessions, hasher: hasher,
        throttle: LoginThrottle(client: redis, policy: configuration.throttle, prefix: configuration.redisKeyPrefix + "login:"),
        challenges: MFAChallenges(client: redis, lifetime: .seconds(300), prefix: configuration.redisKeyPrefix + "mfa:"),
        starter: SessionStarter(sessions: sessions, issuer: issuer, audit: audit),
        issuer: issuer, denylist: denylist, audit: audit)
    let passwords = PasswordController(
        users: users, sessions: sessions, resetTokens: ResetTokenRepository(pool: pool, lifetime: .seconds(900)),
        hasher: hasher, policy: policy, audit: audit, devMode: configuration.devMode)

    let router = runtime.makeRouter()
    router.addEventCatalogue(EmbeddedEventCatalogue.json)
    DiscoveryController(ring: ring, issuer: configuration.issuer, publicURL: configuration.publicURL).addRoutes(to: router)
    OAuthController(clients: clients, apiKeys: apiKeys, users: users, issuer: issuer, login: login, audit: audit).addRoutes(to: router)
    if configuration.devTokens {
        DevTokenController(issuer: issuer).addRoutes(to: router)
    }

    let v1 = router.group("v1")
    account.addPublicRoutes(to: v1)
    login.addPublicRoutes(to: v1)
    passwords.addPublicRoutes(to: v1)

    let authenticated = v1.group().add(middleware: AuthenticationMiddleware(verifier: verifier))
    account.addAuthenticatedRoutes(to: authenticated)
    login.addAuthenticatedRoutes(to: authenticated)
    passwords.addAuthenticatedRoutes(to: authenticated)
    SessionController(sessions: sessions, audit: audit).addRoutes(to: authenticated)
    MFAController(users: users, hasher: hasher, audit: audit, issuerName: "Flotilla").addRoutes(to: authenticated)
    APIKeyController(apiKeys: apiKeys, audit: audit).addRoutes(to: authenticated)
    AdminController(users: users, clients: clients, audit: audit).addRoutes(to: authenticated)

    return runtime.makeApplication(router: router, services: [pool, redis, relay])
}
