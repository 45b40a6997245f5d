/// The circuit breaker's decisions, kept pure: time is passed in, nothing is awaited, so
/// every transition can be tested with made-up instants.
///
/// closed → open when, over the last `windowSize` calls (at least `minimumCalls`), the
/// failure rate or slow-call rate reaches its threshold; open rejects calls for
/// `openDuration`; then half-open admits up to `halfOpenCalls` trial calls at once, and the
/// first trial to finish decides: a success closes the breaker, a failed or slow trial
/// re-opens it for another `openDuration`.
public struct CircuitBreakerStateMachine: Sendable {
    /// The breaker's state; the gauge value is 0, 1, 2 for closed, half-open, open.
    public enum State: Sendable, Equatable {
        case closed
        case open(until: ContinuousClock.Instant)
        case halfOpen

        public var gaugeValue: Double {
            switch self {
            case .closed: 0
            case .halfOpen: 1
            case .open: 2
            }
        }

        public var name: String {
            switch self {
            case .closed: "closed"
            case .halfOpen: "half_open"
            case .open: "open"
            }
        }
    }

    /// Whether a call may go ahead.
    public enum Admission: Sendable, Equatable {
        case allowed
        case rejected(retryAfter: Duration)
    }

    struct Outcome {
        let failed: Bool
        let slow: Bool
    }

    public let policy: CircuitBreakerPolicy
    public private(set) var state: State = .closed
    private var window: [Outcome] = []
    private var nextSlot = 0
    private var trialsInFlight = 0

    public init(policy: CircuitBreakerPolicy) {
        self.policy = policy
    }

    /// Ask to make a call at `now`. May move open → half-open.
    public mutating func admit(now: ContinuousClock.Instant) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until):
            guard now >= until else { return .rejected(retryAfter: until - now) }
            state = .halfOpen
            trialsInFlight = 0
            return admit(now: now)
        case .halfOpen:
            guard trialsInFlight < policy.halfOpenCalls else { return .rejected(retryAfter: .zero) }
            trialsInFlight += 1
            return .allowed
        }
    }

    /// Record an admitted call's outcome; returns the new state if it changed.
    public mutating func record(failed: Bool, duration: Duration, now: ContinuousClock.Instant) -> State? {
        let outcome = Outcome(failed: failed, slow: duration >= policy.slowCallDuration)
        switch state {
        case .closed:
            append(outcome)
            guard window.count >= policy.minimumCalls, tripped(window) else { return nil }
            return open(now: now)
        case .halfOpen:
            if outcome.failed || outcome.slow { return open(now: now) }
            state = .closed
            window = []
            nextSlot = 0
            return state
        case .open:
            // A call admitted before the breaker opened finished late: it changes nothing.
            return nil
        }
    }

    private mutating func open(now: ContinuousClock.Instant) -> State {
        state = .open(until: now + policy.openDuration)
        window = []
        nextSlot = 0
        return state
    }

    private mutating func append(_ outcome: Outcome) {
        if window.count < policy.windowSize {
            window.append(outcome)
        } else {
            window[nextSlot] = outcome
        }
        nextSlot = (nextSlot + 1) % policy.windowSize
    }

    private func tripped(_ outcomes: [Outcome]) -> Bool {
        let count = Double(outcomes.count)
        let failureRate = Double(outcomes.filter(\.failed).count) / count
        let slowRate = Double(outcomes.filter(\.slow).count) / count
        return failureRate >= policy.failureRateThreshold || slowRate >= policy.slowCallRateThreshold
    }
}
