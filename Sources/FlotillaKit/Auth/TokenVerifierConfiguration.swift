/// How a service verifies access tokens, from the environment:
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `AUTH_ISSUER` | `flotilla-auth` | required `iss` |
/// | `AUTH_AUDIENCE` | `flotilla` | required `aud` |
/// | `AUTH_CLOCK_LEEWAY_SECONDS` | 30 | skew tolerated on `exp`/`nbf` |
/// | `AUTH_JWKS_MAX_AGE_SECONDS` | 300 | refetch the JWKS after this long |
/// | `AUTH_JWKS_MIN_REFRESH_SECONDS` | 10 | at most one refetch per interval on unknown `kid`s |
/// | `AUTH_SERVICE_URL` | `http://127.0.0.1:3001` | where the JWKS is (`/.well-known/jwks.json`) |
public struct TokenVerifierConfiguration: Sendable {
    public var policy: TokenVerificationPolicy
    public var jwksMaxAge: Duration
    public var jwksMinRefreshInterval: Duration

    public init(policy: TokenVerificationPolicy, jwksMaxAge: Duration = .seconds(300), jwksMinRefreshInterval: Duration = .seconds(10)) {
        self.policy = policy
        self.jwksMaxAge = jwksMaxAge
        self.jwksMinRefreshInterval = jwksMinRefreshInterval
    }

    public init(environment: inout EnvironmentReader) {
        var policy = TokenVerificationPolicy(
            issuer: environment.string("AUTH_ISSUER", default: "flotilla-auth"),
            audience: environment.string("AUTH_AUDIENCE", default: "flotilla"))
        policy.leeway = environment.seconds("AUTH_CLOCK_LEEWAY_SECONDS", default: .seconds(30), in: 0...300)
        self.init(
            policy: policy,
            jwksMaxAge: environment.seconds("AUTH_JWKS_MAX_AGE_SECONDS", default: .seconds(300), in: 1...86_400),
            jwksMinRefreshInterval: environment.seconds("AUTH_JWKS_MIN_REFRESH_SECONDS", default: .seconds(10), in: 0...3600))
    }
}

extension ServiceRuntime {
    /// A verifier for tokens issued by the auth service, reading its JWKS through an
    /// `auth` upstream (`AUTH_SERVICE_URL`; pass `upstream` if the service already has one)
    /// and checking `denylist` (fails closed).
    public func makeTokenVerifier(
        _ configuration: TokenVerifierConfiguration,
        environment: EnvironmentReader,
        client: FlotillaHTTPClient,
        denylist: TokenDenylist?,
        upstream: Upstream? = nil
    ) -> TokenVerifier {
        let upstream = upstream ?? makeUpstream("auth", defaultURL: Fleet.member("auth")!.localURL, environment: environment, client: client)
        let keys = RemoteKeySource(
            upstream: upstream, algorithms: configuration.policy.algorithms,
            minRefreshInterval: configuration.jwksMinRefreshInterval, maxAge: configuration.jwksMaxAge, logger: logger)
        return TokenVerifier(keys: keys, policy: configuration.policy, denylist: denylist)
    }
}
