import Synchronization

/// Tokens the rate limiter reserved in Redis ahead of use, spent locally without a round
/// trip (ADR 014). Redis grants a lease only while a budget is far from spent (see
/// ``GatewayRateLimiter/script``), so near the limit every request is still counted in Redis
/// one by one and the boundary stays exact across replicas; a lease lives for a short
/// ``lifetime``, and tokens unused by then are simply dropped (they stay counted, so the
/// limiter errs towards admitting less, never more).
final class AdmissionLeases: Sendable {
    /// One budget pair's reserved tokens, with what the headers report while they last.
    struct Lease {
        var tokens: Int
        /// What Redis reported remaining once the lease was counted.
        let remainingInRedis: Int
        let limit: Int
        let resetAfter: Duration
        let granted: ContinuousClock.Instant
    }

    /// How long reserved tokens may be spent.
    let lifetime: Duration
    /// Leases kept at most; expired ones are swept when the table is full.
    let capacity: Int
    private let leases = Mutex<[String: Lease]>([:])

    init(lifetime: Duration = .seconds(1), capacity: Int = 4096) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Spend one reserved token for `key`; the budget's standing, or `nil` when there is
    /// no live lease with tokens left (ask Redis).
    func spend(_ key: String, now: ContinuousClock.Instant = .now) -> GatewayRateLimiter.Outcome? {
        leases.withLock { leases in
            guard var lease = leases[key], lease.tokens > 0, now - lease.granted < lifetime else { return nil }
            lease.tokens -= 1
            leases[key] = lease
            let elapsed = now - lease.granted
            return GatewayRateLimiter.Outcome(
                limit: lease.limit, remaining: lease.remainingInRedis + lease.tokens,
                resetAfter: lease.resetAfter > elapsed ? lease.resetAfter - elapsed : .zero)
        }
    }

    /// Keep `tokens` more for `key`, granted now with the budget standing in `outcome` (as
    /// Redis reported it, the reserved tokens already counted). A live lease's unspent
    /// tokens are kept too.
    func store(_ key: String, tokens: Int, outcome: GatewayRateLimiter.Outcome, now: ContinuousClock.Instant = .now) {
        guard tokens > 0 else { return }
        leases.withLock { leases in
            let carried = leases[key].map { now - $0.granted < lifetime ? $0.tokens : 0 } ?? 0
            if leases[key] == nil, leases.count >= capacity {
                leases = leases.filter { now - $0.value.granted < lifetime }
                guard leases.count < capacity else { return }
            }
            leases[key] = Lease(tokens: carried + tokens, remainingInRedis: outcome.remaining, limit: outcome.limit, resetAfter: outcome.resetAfter, granted: now)
        }
    }
}
