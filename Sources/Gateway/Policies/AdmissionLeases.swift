import Synchronization

/// Tokens the rate limiter reserved in Redis ahead of use, spent locally without a round
/// trip (ADR 014). Redis grants a lease only while a budget is far from spent (see
/// ``GatewayRateLimiter/script``), so near the limit every request is still counted in Redis
/// one by one and the boundary stays exact across replicas; a lease lives for a short
/// ``lifetime``, and tokens unused by then are simply dropped (they stay counted, so the
/// limiter errs towards admitting less, never more).
/// Leases are kept by `Key`: what the budgets were counted for (``GatewayRateLimiter/LeaseKey``).
final class AdmissionLeases<Key: Hashable & Sendable>: Sendable {
    /// One budget pair's reserved tokens, with what the headers report while they last.
    struct Lease {
        var tokens: Int
        /// The budget's standing as Redis reported it once the lease was counted.
        let counted: GatewayRateLimiter.Outcome
        let granted: ContinuousClock.Instant

        /// What the headers say at `now`: Redis's remaining count plus the tokens not yet
        /// spent (they are reserved, not used), and the reset counted down since the grant.
        func standing(at now: ContinuousClock.Instant) -> GatewayRateLimiter.Outcome {
            let elapsed = now - granted
            return GatewayRateLimiter.Outcome(
                limit: counted.limit, remaining: counted.remaining + tokens,
                resetAfter: counted.resetAfter > elapsed ? counted.resetAfter - elapsed : .zero)
        }
    }

    /// How long reserved tokens may be spent.
    let lifetime: Duration
    /// Leases kept at most; expired ones are swept when the table is full.
    let capacity: Int
    private let leases = Mutex<[Key: Lease]>([:])

    init(lifetime: Duration = .seconds(1), capacity: Int = 4096) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    /// Spend one reserved token for `key`; the budget's standing, or `nil` when there is
    /// no live lease with tokens left (ask Redis).
    func spend(_ key: Key, now: ContinuousClock.Instant = .now) -> GatewayRateLimiter.Outcome? {
        leases.withLock { leases in
            guard var lease = leases[key], lease.tokens > 0, now - lease.granted < lifetime else { return nil }
            lease.tokens -= 1
            leases[key] = lease
            return lease.standing(at: now)
        }
    }

    /// Keep `lease` for `key`; a live lease's unspent tokens are carried into it.
    func store(_ key: Key, _ lease: Lease) {
        guard lease.tokens > 0 else { return }
        let now = lease.granted
        leases.withLock { leases in
            let carried = leases[key].map { now - $0.granted < lifetime ? $0.tokens : 0 } ?? 0
            if leases[key] == nil, leases.count >= capacity {
                leases = leases.filter { now - $0.value.granted < lifetime }
                guard leases.count < capacity else { return }
            }
            leases[key] = Lease(tokens: carried + lease.tokens, counted: lease.counted, granted: now)
        }
    }
}
