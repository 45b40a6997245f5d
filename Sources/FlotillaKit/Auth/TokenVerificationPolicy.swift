/// What a valid access token must say, besides carrying a good signature.
public struct TokenVerificationPolicy: Sendable {
    /// Required `iss`.
    public var issuer: String
    /// Required member of `aud`.
    public var audience: String
    /// Clock skew tolerated on `exp`, `nbf` and `iat`.
    public var leeway: Duration = .seconds(30)
    /// JWS algorithms accepted; anything else (`none`, `HS256`, ...) is rejected before
    /// any key is looked at, which closes the algorithm-confusion attacks.
    public var algorithms: Set<String> = ["RS256", "ES256"]

    public init(issuer: String, audience: String) {
        self.issuer = issuer
        self.audience = audience
    }
}
