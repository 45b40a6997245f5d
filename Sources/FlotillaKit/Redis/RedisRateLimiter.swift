/// A sliding-window rate limiter: at most `limit` calls per `window` per key, decided
/// atomically in one Lua script using Redis' clock, so every replica shares the count.
public struct RedisRateLimiter: Sendable {
    /// The outcome of one call.
    public struct Decision: Sendable, Equatable {
        public let allowed: Bool
        public let limit: Int
        /// Calls left in the current window.
        public let remaining: Int
        /// Time until another call would be allowed (0 when allowed now).
        public let retryAfter: Duration
        /// Time until the oldest call counted leaves the window (`X-RateLimit-Reset`).
        public let resetAfter: Duration
    }

    static let script = RedisScript("""
        local key, window, limit, nonce = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
        local t = redis.call('TIME')
        local now = t[1] * 1000 + math.floor(t[2] / 1000)
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        local count = redis.call('ZCARD', key)
        if count < limit then
          redis.call('ZADD', key, now, now .. ':' .. nonce)
          redis.call('PEXPIRE', key, window)
          local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
          return {1, limit - count - 1, 0, math.max(0, tonumber(first[2]) + window - now)}
        end
        local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        local wait = math.max(0, tonumber(oldest[2]) + window - now)
        return {0, 0, wait, wait}
        """)

    let client: RedisClient
    public let limit: Int
    public let window: Duration
    /// Prefix of every key, e.g. `ratelimit:gateway:`.
    public let prefix: String

    public init(client: RedisClient, limit: Int, window: Duration, prefix: String) {
        self.client = client
        self.limit = limit
        self.window = window
        self.prefix = prefix
    }

    /// Count one call for `key` and say whether it is allowed.
    public func check(_ key: String) async throws -> Decision {
        let reply = try await client.run(
            Self.script, keys: [prefix + key],
            arguments: [Int(window.roundedMilliseconds), limit, RandomHex.make(byteCount: 8)]
        )
        guard let values = reply.array, values.count == 4, let allowed = values[0].int, let remaining = values[1].int,
            let wait = values[2].int, let reset = values[3].int
        else {
            throw RedisError(.unexpectedReply, "rate limiter returned \(reply)")
        }
        return Decision(allowed: allowed == 1, limit: limit, remaining: remaining, retryAfter: .milliseconds(wait), resetAfter: .milliseconds(reset))
    }
}
