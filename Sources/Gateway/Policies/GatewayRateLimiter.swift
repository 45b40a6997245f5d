import FlotillaKit
import HTTPTypes
import Logging
import Synchronization

/// Admission in one Redis round trip: the route's per-minute budget for the client IP, the
/// one for the authenticated principal (user, service or API key), and the token denylist,
/// checked and counted by a single script. A request is counted against both budgets only
/// when both allow it. While both budgets are far from spent the script reserves a few more
/// tokens at once (at most `maxLease`, and a 64th of what is left), which this replica then
/// spends without a round trip for a short while (a second by default; ``AdmissionLeases``, ADR 014); near the
/// limit every request is counted one by one. When Redis fails the gateway lets requests
/// through (unless configured to fail closed) and `/health` warns; services still check the
/// denylist themselves.
final class GatewayRateLimiter: Sendable {
    static let script = RedisScript("""
        local window, nonce, maxLease = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[4])
        local t = redis.call('TIME')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        local denyKeys = {}
        for key in string.gmatch(ARGV[3], '%S+') do denyKeys[#denyKeys + 1] = key end
        if #denyKeys > 0 and redis.call('EXISTS', unpack(denyKeys)) > 0 then return {-1} end
        local allowed, counts, available = 1, {}, nil
        for i = 1, #KEYS do
          redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
          counts[i] = redis.call('ZCARD', KEYS[i])
          local left = tonumber(ARGV[4 + i]) - counts[i]
          if left <= 0 then allowed = 0 end
          if available == nil or left < available then available = left end
        end
        local granted = 0
        if allowed == 1 then granted = math.max(1, math.min(maxLease, math.floor(available / 64))) end
        local result = {allowed, granted}
        for i = 1, #KEYS do
          if granted > 0 then
            local members = {}
            for n = 1, granted do
              members[#members + 1] = now
              members[#members + 1] = now .. ':' .. nonce .. ':' .. n
            end
            redis.call('ZADD', KEYS[i], unpack(members))
            redis.call('PEXPIRE', KEYS[i], window)
            counts[i] = counts[i] + granted
          end
          local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
          local reset = 0
          if first[2] then reset = math.max(0, tonumber(first[2]) + window - now) end
          table.insert(result, math.max(0, tonumber(ARGV[4 + i]) - counts[i]))
          table.insert(result, reset)
        end
        return result
        """)

    let client: RedisClient
    let failOpen: Bool
    let logger: Logger
    let prefix: String
    let denylist: TokenDenylist
    /// Most tokens one round trip may reserve; 1 counts every request in Redis.
    let maxLease: Int
    let leases: AdmissionLeases<LeaseKey>
    /// Set while the last check failed; read by the `ratelimit:redis` health check.
    let degraded = Atomic<Bool>(false)

    init(client: RedisClient, failOpen: Bool, logger: Logger, prefix: String, denylist: TokenDenylist, maxLease: Int = 64, leases: AdmissionLeases<LeaseKey> = AdmissionLeases()) {
        self.client = client
        self.maxLease = max(1, maxLease)
        self.leases = leases
        self.failOpen = failOpen
        self.logger = logger
        self.prefix = prefix
        self.denylist = denylist
    }

    /// What a lease is held for: the route's policy and client IP and, when authenticated,
    /// the principal and its token (a token revoked since must not ride on an older lease).
    /// Made from the request's own strings, so a request spending a lease builds no Redis key.
    struct LeaseKey: Hashable, Sendable {
        let policy: String
        let clientIP: String
        let principalKind: String?
        let subject: String?
        let tokenID: String?
    }

    /// The tightest budget's standing, for the `X-RateLimit-*` headers.
    struct Outcome: Sendable {
        let limit: Int
        let remaining: Int
        let resetAfter: Duration

        var headers: HTTPFields {
            var fields = HTTPFields()
            fields[.rateLimitLimit] = String(limit)
            fields[.rateLimitRemaining] = String(remaining)
            fields[.rateLimitReset] = String(Int(resetAfter.seconds.rounded(.up)))
            return fields
        }
    }

    /// Count the request; returns the headers' figures (`nil` when failing open). Throws 429
    /// `rate_limited` when a budget is spent and 401 when the token is denylisted.
    func admit(policy: String, clientIP: String, perClient: Int, principal: Principal?, perPrincipal: Int) async throws -> Outcome? {
        let leaseKey = LeaseKey(
            policy: policy, clientIP: clientIP, principalKind: principal?.kind.rawValue, subject: principal?.subject, tokenID: principal?.tokenID)
        if let leased = leases.spend(leaseKey) { return leased }
        var keys = ["\(prefix)\(policy):ip:\(clientIP)"]
        var limits = [perClient]
        if let principal {
            keys.append("\(prefix)\(policy):sub:\(principal.kind.rawValue):\(principal.subject)")
            limits.append(perPrincipal)
        }
        // The token's and its session's denylist keys, space-separated (neither holds a space).
        let denyKeys = principal.map { denylist.keys(tokenID: $0.tokenID, sessionID: $0.sessionID).joined(separator: " ") } ?? ""
        let reply: [RedisValue]
        do {
            let arguments: [any RedisArgument] = [60_000, String(UInt64.random(in: 0...UInt64.max), radix: 36), denyKeys, maxLease] + limits
            guard let values = try await client.run(Self.script, keys: keys, arguments: arguments).array else {
                throw RedisError(.unexpectedReply, "admission script returned no array")
            }
            reply = values
            degraded.store(false, ordering: .relaxed)
        } catch {
            degraded.store(true, ordering: .relaxed)
            logger.warning("rate limiter unavailable", metadata: ["error.description": "\(error)", "fail_open": "\(failOpen)"])
            if failOpen { return nil }
            throw APIError(.serviceUnavailable, code: "rate_limiter_unavailable", message: "Rate limiting is unavailable; retry shortly.", headers: [.retryAfter: "1"])
        }
        if reply.first?.int == -1 { throw TokenRejection.revoked.apiError }
        // Per budget: remaining and reset; the one with the fewest requests left decides.
        var tightest: (index: Int, outcome: Outcome)?
        for index in keys.indices {
            guard reply.count > 3 + index * 2, let remaining = reply[2 + index * 2].int, let reset = reply[3 + index * 2].int else { continue }
            let outcome = Outcome(limit: limits[index], remaining: remaining, resetAfter: .milliseconds(reset))
            if tightest.map({ remaining < $0.outcome.remaining }) ?? true { tightest = (index, outcome) }
        }
        guard let tightest else { return nil }
        guard reply.first?.int == 1 else {
            let seconds = max(1, Int(tightest.outcome.resetAfter.seconds.rounded(.up)))
            var headers = tightest.outcome.headers
            headers[.retryAfter] = String(seconds)
            throw APIError(
                .tooManyRequests, code: "rate_limited",
                message: "Too many requests: the limit is \(tightest.outcome.limit) per minute. Retry in \(seconds) seconds.",
                details: ["limit": .int(tightest.outcome.limit), "retry_after_seconds": .int(seconds)], headers: headers)
        }
        // Tokens reserved beyond this request's are spent locally; until then they are not
        // "used" from the caller's point of view.
        let lease = AdmissionLeases<LeaseKey>.Lease(tokens: max(0, (reply[1].int ?? 1) - 1), counted: tightest.outcome, granted: .now)
        leases.store(leaseKey, lease)
        return lease.standing(at: lease.granted)
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
