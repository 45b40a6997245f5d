import FlotillaKit
import HTTPTypes
import Logging
import Synchronization

/// Per-route rate limits with the kit's Redis limiter: a budget per client IP and a
/// separate one per authenticated principal (user, service or API key), each per minute.
/// When Redis fails the limiter lets requests through (unless configured to fail closed)
/// and `/health` warns until it answers again.
final class GatewayRateLimiter: Sendable {
    let client: RedisClient
    let failOpen: Bool
    let logger: Logger
    let prefix: String
    /// Set while the last check failed; read by the `ratelimit:redis` health check.
    let degraded = Atomic<Bool>(false)

    init(client: RedisClient, failOpen: Bool, logger: Logger, prefix: String) {
        self.client = client
        self.failOpen = failOpen
        self.logger = logger
        self.prefix = prefix
    }

    /// The outcome for the response headers, or `nil` when the limiter failed open.
    struct Outcome: Sendable {
        let decision: RedisRateLimiter.Decision

        var headers: HTTPFields {
            var fields = HTTPFields()
            fields[.rateLimitLimit] = String(decision.limit)
            fields[.rateLimitRemaining] = String(decision.remaining)
            fields[.rateLimitReset] = String(Int((decision.resetAfter.seconds).rounded(.up)))
            return fields
        }
    }

    /// Count one request of `key` (`ip:…` or `sub:…`) against `perMinute`; throws 429
    /// `rate_limited` (with the headers) when the budget is spent.
    func check(policy: String, key: String, perMinute: Int) async throws -> Outcome? {
        let limiter = RedisRateLimiter(client: client, limit: perMinute, window: .seconds(60), prefix: "\(prefix)\(policy):")
        let decision: RedisRateLimiter.Decision
        do {
            decision = try await limiter.check(key)
            degraded.store(false, ordering: .relaxed)
        } catch {
            degraded.store(true, ordering: .relaxed)
            logger.warning("rate limiter unavailable", metadata: ["error.description": "\(error)", "fail_open": "\(failOpen)"])
            if failOpen { return nil }
            throw APIError(.serviceUnavailable, code: "rate_limiter_unavailable", message: "Rate limiting is unavailable; retry shortly.", headers: [.retryAfter: "1"])
        }
        let outcome = Outcome(decision: decision)
        guard decision.allowed else {
            let seconds = max(1, Int(decision.retryAfter.seconds.rounded(.up)))
            var headers = outcome.headers
            headers[.retryAfter] = String(seconds)
            throw APIError(
                .tooManyRequests, code: "rate_limited",
                message: "Too many requests: the limit is \(decision.limit) per minute. Retry in \(seconds) seconds.",
                details: ["limit": .int(decision.limit), "retry_after_seconds": .int(seconds)], headers: headers)
        }
        return outcome
    }
}

/// `ratelimit:redis`: warns while the limiter cannot reach Redis (it is failing open).
struct RateLimiterHealthCheck: HealthCheck {
    let limiter: GatewayRateLimiter
    var name: String { "ratelimit:redis" }
    var criticality: HealthCheckCriticality { .optional }

    func check() async throws -> HealthObservation {
        let degraded = limiter.degraded.load(ordering: .relaxed)
        return HealthObservation(
            status: degraded ? .warn : .pass, observedValue: .string(degraded ? "failing open" : "ok"),
            output: degraded ? "Redis unreachable: requests are not rate limited" : nil)
    }
}

extension HTTPField.Name {
    static let rateLimitLimit = Self("X-RateLimit-Limit")!
    static let rateLimitRemaining = Self("X-RateLimit-Remaining")!
    static let rateLimitReset = Self("X-RateLimit-Reset")!
    static let xCache = Self("X-Cache")!
}
