/// Where a ``TokenVerifier`` finds the public key for a token's `kid`.
public protocol VerificationKeySource: Sendable {
    /// The key with identifier `kid`, or `nil` when it is not (or no longer) published.
    /// Throws ``TokenRejection/keysUnavailable`` when the keys cannot be fetched.
    func key(for kid: String) async throws(TokenRejection) -> VerificationKey?
}

/// A fixed set of keys, e.g. the auth service's own.
public struct StaticKeySource: VerificationKeySource {
    let keys: [String: VerificationKey]

    public init(_ keySet: JSONWebKeySet, accepting algorithms: Set<String> = ["RS256", "ES256"]) async {
        var keys = [String: VerificationKey]()
        for jwk in keySet.keys {
            if let key = await jwk.verificationKey(accepting: algorithms) { keys[key.kid] = key }
        }
        self.keys = keys
    }

    public func key(for kid: String) async throws(TokenRejection) -> VerificationKey? {
        keys[kid]
    }
}
