/// Thresholds of a circuit breaker (resilience4j semantics, count-based window).
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
    /// How long the breaker stays open before letting trial calls through.
    public var openDuration: Duration = .seconds(10)
    /// Trial calls allowed while half-open.
    public var halfOpenCalls: Int = 3

    public init() {}
}
