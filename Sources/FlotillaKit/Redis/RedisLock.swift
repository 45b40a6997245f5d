/// A distributed lock: `SET key token NX PX ttl`, released only by its holder (compare
/// and delete in one script), expiring on its own if the holder dies.
public struct RedisLock: Sendable {
    static let release = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end
        """)

    let client: RedisClient
    public let key: String
    public let ttl: Duration

    public init(client: RedisClient, key: String, ttl: Duration) {
        self.client = client
        self.key = key
        self.ttl = ttl
    }

    /// Try once; returns the holder's token, or nil when someone else holds the lock.
    public func tryAcquire() async throws -> String? {
        let token = RandomHex.make(byteCount: 16)
        let reply = try await client.send("SET", key, token, "NX", "PX", max(Int(ttl.roundedMilliseconds), 1))
        return reply == .status("OK") ? token : nil
    }

    /// Release the lock if `token` still holds it; false if it had expired or passed on.
    @discardableResult
    public func release(token: String) async throws -> Bool {
        try await client.run(Self.release, keys: [key], arguments: [token]).int == 1
    }

    /// Run `body` holding the lock, polling for it up to `wait`; nil if it never came free.
    public func withLock<Value: Sendable>(wait: Duration, _ body: () async throws -> Value) async throws -> Value? {
        let deadline = ContinuousClock.now + wait
        while true {
            if let token = try await tryAcquire() {
                do {
                    let value = try await body()
                    try await release(token: token)
                    return value
                } catch {
                    _ = try? await release(token: token)
                    throw error
                }
            }
            guard ContinuousClock.now < deadline else { return nil }
            try await Task.sleep(for: .milliseconds(Int.random(in: 5...25)))
        }
    }
}
