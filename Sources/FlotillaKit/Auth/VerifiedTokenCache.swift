import Synchronization

/// Tokens whose signature, issuer and audience have been verified, so that a client sending
/// the same token again costs a dictionary lookup instead of base64, JSON and RSA work.
/// The time checks (`exp`, `nbf`) and the denylist still run on every use; an entry lives at
/// most `maxAge` (so a key removed from the JWKS stops being honoured within that time), and
/// the whole cache is dropped when it reaches `capacity`, which bounds its memory.
final class VerifiedTokenCache: Sendable {
    private struct Entry {
        let claims: AccessTokenClaims
        let storedAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int
    let maxAge: Duration

    init(capacity: Int, maxAge: Duration) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    func claims(for token: String) -> AccessTokenClaims? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard now - entry.storedAt < maxAge else {
                entries[token] = nil
                return nil
            }
            return entry.claims
        }
    }

    func store(_ claims: AccessTokenClaims, for token: String) {
        let entry = Entry(claims: claims, storedAt: .now)
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token] = entry
        }
    }
}
