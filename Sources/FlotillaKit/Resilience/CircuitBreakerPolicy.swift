/// Thresholds of a circuit breaker (resilience4j's count-based window to open; the first
/// half-open trial's outcome to close or re-open).
public struct CircuitBreakerPolicy: Sendable, Equatable {
    /// Failure rate (0...1) at or above which the breaker opens.
    public var failureRateThreshold: Double = 0.5
    /// Slow-call rate (0...1) at or above which the breaker opens (1 = only when every call is slow).
    public var slowCallRateThreshold: Double = 1.0
    /// Calls taking at least this long count as slow.
    public var slowCallDuration: Duration = .seconds(2)
    /// How many recent calls the rates are computed over.
    public var windowSize: Int = 20
    /// Fewest calls in the window before the rates are judged at all.
    public var minimumCalls: Int = 10
    /// How long the breaker stays open before letting a trial call through. Short, so a
    /// dependency that is back is used again within about a second of its return; while it
    /// stays down the breaker costs one trial call per interval.
    public var openDuration: Duration = .seconds(1)
    /// Trial calls allowed in flight at once while half-open; the first to finish decides.
    public var halfOpenCalls: Int = 1

    public init() {}
}
