import Crypto
import FlotillaKit

/// Brute-force protection for password logins, in Redis so every replica shares it.
///
/// Failures are counted per account (keyed by a hash of the normalised email, whether or
/// not the account exists, so lockouts reveal nothing) and per client IP. Reaching the
/// threshold locks that key for `baseLockout`, doubling with each further lockout up to
/// `maxLockout`; a successful login clears the account's count and lockout level.
struct LoginThrottle: Sendable {
    struct Policy: Sendable {
        var accountThreshold: Int
        var addressThreshold: Int
        /// How long failures are remembered.
        var window: Duration
        var baseLockout: Duration
        var maxLockout: Duration
    }

    /// A lock in force on the account or the address.
    struct Lockout: Error, Sendable, Equatable {
        let retryAfter: Duration
        let scope: String
    }

    static let recordFailureScript = RedisScript("""
        local failures = redis.call('INCR', KEYS[1])
        if failures == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        if failures < tonumber(ARGV[2]) then return 0 end
        local level = redis.call('INCR', KEYS[3])
        redis.call('PEXPIRE', KEYS[3], ARGV[5])
        local ms = math.min(tonumber(ARGV[3]) * 2 ^ (level - 1), tonumber(ARGV[4]))
        redis.call('SET', KEYS[2], '1', 'PX', math.floor(ms))
        redis.call('DEL', KEYS[1])
        return math.floor(ms)
        """)

    let client: RedisClient
    let policy: Policy
    /// e.g. `flotilla:auth:login:`
    let prefix: String

    /// Throws ``Lockout`` while the account or the address is locked.
    func checkAllowed(email: String, address: String) async throws {
        let replies = try await client.pipeline([
            ["PTTL", key("lock", "account", Self.digest(email))],
            ["PTTL", key("lock", "ip", address)],
        ])
        let waits = replies.map { $0.int ?? -1 }
        if waits[0] > 0 { throw Lockout(retryAfter: .milliseconds(waits[0]), scope: "account") }
        if waits[1] > 0 { throw Lockout(retryAfter: .milliseconds(waits[1]), scope: "ip") }
    }

    /// Count a failed attempt; returns the lockout it started, if any.
    @discardableResult
    func recordFailure(email: String, address: String) async throws -> Lockout? {
        let account = try await record("account", Self.digest(email), threshold: policy.accountThreshold)
        let ip = try await record("ip", address, threshold: policy.addressThreshold)
        if account > 0 { return Lockout(retryAfter: .milliseconds(account), scope: "account") }
        if ip > 0 { return Lockout(retryAfter: .milliseconds(ip), scope: "ip") }
        return nil
    }

    /// Forget the account's failures and lockout history after a successful login.
    func recordSuccess(email: String) async throws {
        let digest = Self.digest(email)
        _ = try await client.send("DEL", key("failures", "account", digest), key("level", "account", digest))
    }

    private func record(_ scope: String, _ subject: String, threshold: Int) async throws -> Int {
        let reply = try await client.run(
            Self.recordFailureScript,
            keys: [key("failures", scope, subject), key("lock", scope, subject), key("level", scope, subject)],
            arguments: [
                policy.window.wholeMilliseconds, threshold, policy.baseLockout.wholeMilliseconds,
                policy.maxLockout.wholeMilliseconds, 86_400_000,
            ])
        return reply.int ?? 0
    }

    private func key(_ kind: String, _ scope: String, _ subject: String) -> String {
        "\(prefix)\(kind):\(scope):\(subject)"
    }

    static func digest(_ email: String) -> String {
        SHA256.hash(data: Array(email.utf8)).prefix(16).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}
