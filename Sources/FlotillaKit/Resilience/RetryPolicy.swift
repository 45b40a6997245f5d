/// When and how long to wait before retrying an outgoing call. Pure: randomness and time
/// are passed in.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int = 3
    /// Backoff before the first retry; doubles each time up to `maxDelay`.
    public var baseDelay: Duration = .milliseconds(50)
    public var maxDelay: Duration = .seconds(1)

    public init(maxAttempts: Int = 3, baseDelay: Duration = .milliseconds(50), maxDelay: Duration = .seconds(1)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// What happened on one attempt, as far as retrying is concerned.
    public enum Failure: Sendable, Equatable {
        /// The connection could not be made (refused, DNS): the request never reached the server.
        case connectFailed
        /// The server answered with this status (and `Retry-After`, if given).
        case status(Int, retryAfter: Duration?)
        /// Anything else (timeout mid-transfer, TLS, too large): not retried.
        case other
    }

    /// The wait before attempt `attempt + 1` after `failure` on attempt `attempt` (1-based),
    /// or nil when the call must not be retried. `random` returns a value in 0...1 (full
    /// jitter); the wait never pushes past `deadline`.
    public func delay(
        after failure: Failure,
        attempt: Int,
        idempotent: Bool,
        now: ContinuousClock.Instant,
        deadline: ContinuousClock.Instant,
        random: () -> Double
    ) -> Duration? {
        guard idempotent, attempt < maxAttempts else { return nil }
        let wait: Duration
        switch failure {
        case .connectFailed, .status(502, _), .status(503, nil), .status(504, _):
            let exponent = min(attempt - 1, 20)
            let ceiling = min(baseDelay * (1 << exponent), maxDelay)
            wait = ceiling * random()
        case .status(503, let retryAfter?), .status(429, let retryAfter?):
            wait = retryAfter
        case .status(429, nil):
            wait = min(baseDelay * (1 << min(attempt - 1, 20)), maxDelay) * random()
        default:
            return nil
        }
        return now + wait < deadline ? wait : nil
    }

    /// Whether `method` is idempotent by definition (RFC 9110 §9.2.2).
    public static func isIdempotent(_ method: String) -> Bool {
        ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(method.uppercased())
    }
}
