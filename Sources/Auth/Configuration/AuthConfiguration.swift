import FlotillaKit

/// The auth service's settings, from the environment (see README's configuration table).
struct AuthConfiguration: Sendable {
    var service: ServiceConfiguration
    var database: PostgresConfiguration
    var redis: RedisConfiguration
    /// How the outbox is published (`EVENTS_*`).
    var events: EventBusConfiguration
    /// `iss` and `aud` of the tokens it issues (the same variables verifiers read).
    var issuer: String
    var audience: String
    var accessTokenLifetime: Duration
    var refreshTokenLifetime: Duration
    var signing: SigningKeyConfiguration
    var passwordHashing: PasswordHasher.Parameters
    /// Password hashes computed at once; more wait, so a login flood cannot starve the server.
    var maxConcurrentHashes: Int
    var throttle: LoginThrottle.Policy
    /// Admin role for whoever registers with this email (bootstraps the first admin).
    var bootstrapAdminEmail: String?
    /// Dev mode: generate signing keys when none exist; log reset tokens at debug level.
    var devMode: Bool
    /// The watch-store seed's `POST /auth/token` (no password!); only for local demos.
    var devTokens: Bool
    /// Prefix of the service's own Redis keys (login throttling, MFA challenges). The
    /// token denylist keeps the kit's fixed prefix, since every service reads it.
    var redisKeyPrefix: String
    /// Base URL clients reach the service at (endpoint URLs in the OpenID configuration).
    var publicURL: String
    /// Service clients registered on start from `AUTH_SERVICE_CLIENTS`.
    var serviceClients: [DeclaredServiceClient]

    init(environment: inout EnvironmentReader) {
        service = ServiceConfiguration(identity: AuthApp.identity, environment: &environment)
        database = PostgresConfiguration(environment: &environment, applicationName: AuthApp.identity.name)
        redis = RedisConfiguration(environment: &environment)
        events = EventBusConfiguration(identity: AuthApp.identity, environment: &environment)
        let verification = TokenVerifierConfiguration(environment: &environment)
        issuer = verification.policy.issuer
        audience = verification.policy.audience
        accessTokenLifetime = environment.seconds("ACCESS_TOKEN_TTL_SECONDS", default: .seconds(900), in: 30...86_400)
        refreshTokenLifetime = environment.seconds("REFRESH_TOKEN_TTL_SECONDS", default: .seconds(30 * 86_400), in: 60...(365 * 86_400))
        devMode = environment.boolean("AUTH_DEV_MODE", default: false)
        devTokens = environment.boolean("AUTH_DEV_TOKENS", default: false)
        signing = SigningKeyConfiguration(environment: &environment, devMode: devMode)
        passwordHashing = PasswordHasher.Parameters(
            logN: environment.integer("PASSWORD_SCRYPT_LOG_N", default: 17, in: 10...20),
            blockSize: 8, parallelism: 1)
        maxConcurrentHashes = environment.integer("PASSWORD_HASH_CONCURRENCY", default: 2, in: 1...64)
        throttle = LoginThrottle.Policy(
            accountThreshold: environment.integer("LOGIN_LOCKOUT_THRESHOLD", default: 5, in: 1...1000),
            addressThreshold: environment.integer("LOGIN_IP_LOCKOUT_THRESHOLD", default: 50, in: 1...100_000),
            window: environment.seconds("LOGIN_FAILURE_WINDOW_SECONDS", default: .seconds(900), in: 1...86_400),
            baseLockout: environment.seconds("LOGIN_LOCKOUT_SECONDS", default: .seconds(60), in: 1...86_400),
            maxLockout: environment.seconds("LOGIN_MAX_LOCKOUT_SECONDS", default: .seconds(3600), in: 1...604_800))
        redisKeyPrefix = environment.string("AUTH_REDIS_PREFIX", default: "flotilla:auth:")
        publicURL = environment.string("AUTH_PUBLIC_URL", default: "http://127.0.0.1:\(service.port)")
        bootstrapAdminEmail = environment.raw("AUTH_BOOTSTRAP_ADMIN_EMAIL").map(EmailAddress.normalise)
        serviceClients = DeclaredServiceClient.read(&environment)
    }
}

/// Where the signing keys come from.
struct SigningKeyConfiguration: Sendable {
    /// A directory of PEM private keys (a Kubernetes Secret mount); the file name is the `kid`.
    var directory: String
    /// The `kid` that signs new tokens; the newest file name (sorted) when unset.
    var activeKeyID: String?
    /// Algorithm for generated keys (dev mode only).
    var generatedAlgorithm: SigningAlgorithm
    /// Generate a key into `directory` when it holds none.
    var generateWhenMissing: Bool

    init(directory: String, activeKeyID: String? = nil, generatedAlgorithm: SigningAlgorithm = .rs256, generateWhenMissing: Bool) {
        self.directory = directory
        self.activeKeyID = activeKeyID
        self.generatedAlgorithm = generatedAlgorithm
        self.generateWhenMissing = generateWhenMissing
    }

    init(environment: inout EnvironmentReader, devMode: Bool) {
        self.init(
            directory: environment.string("AUTH_SIGNING_KEYS_DIR", default: ".flotilla/keys/auth"),
            activeKeyID: environment.raw("AUTH_SIGNING_KEY_ID"),
            generatedAlgorithm: environment.choice("AUTH_SIGNING_ALGORITHM", default: SigningAlgorithm.rs256),
            generateWhenMissing: devMode)
    }
}

/// JWS algorithms the auth service signs with.
enum SigningAlgorithm: String, Sendable, CaseIterable {
    case rs256
    case es256

    var jwsName: String { rawValue.uppercased() }
}
