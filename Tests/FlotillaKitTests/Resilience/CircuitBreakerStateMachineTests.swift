import FlotillaKit
import Testing

@Suite("Circuit breaker state machine")
struct CircuitBreakerStateMachineTests {
    let start = ContinuousClock.now

    func policy() -> CircuitBreakerPolicy {
        var policy = CircuitBreakerPolicy()
        policy.windowSize = 10
        policy.minimumCalls = 4
        policy.failureRateThreshold = 0.5
        policy.slowCallRateThreshold = 0.8
        policy.slowCallDuration = .milliseconds(500)
        policy.openDuration = .seconds(10)
        policy.halfOpenCalls = 2
        return policy
    }

    func call(_ breaker: inout CircuitBreakerStateMachine, failed: Bool, duration: Duration = .milliseconds(10), at offset: Duration = .zero) -> CircuitBreakerStateMachine.State? {
        #expect(breaker.admit(now: start + offset) == .allowed)
        return breaker.record(failed: failed, duration: duration, now: start + offset)
    }

    @Test func staysClosedBelowTheMinimumNumberOfCalls() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        for _ in 0..<3 { #expect(call(&breaker, failed: true) == nil) }
        #expect(breaker.state == .closed)
    }

    @Test func opensWhenTheFailureRateReachesTheThreshold() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        #expect(call(&breaker, failed: false) == nil)
        #expect(call(&breaker, failed: false) == nil)
        #expect(call(&breaker, failed: true) == nil)
        let transition = call(&breaker, failed: true)  // 2 of 4 failed = 50%
        #expect(transition == .open(until: start + .seconds(10)))
        #expect(breaker.admit(now: start + .seconds(3)) == .rejected(retryAfter: .seconds(7)))
    }

    @Test func onlyTheMostRecentWindowCounts() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        for _ in 0..<4 { _ = call(&breaker, failed: false) }
        for _ in 0..<3 { _ = call(&breaker, failed: true) }  // 3 of 7 = 43%
        #expect(breaker.state == .closed)
        // Successes push those failures out of the 10-call window.
        for _ in 0..<10 { _ = call(&breaker, failed: false) }
        #expect(breaker.state == .closed)
        for _ in 0..<4 { _ = call(&breaker, failed: true) }
        #expect(breaker.state == .closed)  // 4 of 10 = 40%
        _ = call(&breaker, failed: true)
        #expect(breaker.state.name == "open")  // 5 of 10 = 50%
    }

    @Test func opensOnSlowCalls() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        for _ in 0..<3 { _ = call(&breaker, failed: false, duration: .seconds(1)) }
        _ = call(&breaker, failed: false, duration: .milliseconds(10))
        #expect(breaker.state == .closed)  // 3 of 4 slow = 75%, under 80%
        _ = call(&breaker, failed: false, duration: .seconds(1))
        #expect(breaker.state.name == "open")  // 4 of 5 = 80%
    }

    @Test func halfOpenClosesOnTheFirstSuccessfulTrial() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        for _ in 0..<4 { _ = call(&breaker, failed: true) }
        #expect(breaker.state.name == "open")
        #expect(breaker.admit(now: start + .seconds(9)) == .rejected(retryAfter: .seconds(1)))
        // As soon as the open interval has passed, trials go through.
        let later = start + .seconds(10)
        #expect(breaker.admit(now: later) == .allowed)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.admit(now: later) == .allowed)
        #expect(breaker.admit(now: later) == .rejected(retryAfter: .zero))  // only 2 trials at once
        #expect(breaker.record(failed: false, duration: .zero, now: later) == .closed)
        #expect(breaker.admit(now: later) == .allowed)
        // The other trial finishing late changes nothing.
        #expect(breaker.record(failed: false, duration: .zero, now: later) == nil)
        #expect(breaker.state == .closed)
    }

    @Test func halfOpenReopensOnAFailedTrial() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        for _ in 0..<4 { _ = call(&breaker, failed: true) }
        let later = start + .seconds(11)
        _ = breaker.admit(now: later)
        #expect(breaker.record(failed: true, duration: .zero, now: later) == .open(until: later + .seconds(10)))
        #expect(breaker.state.gaugeValue == 2)
    }

    @Test func halfOpenReopensOnASlowTrial() {
        var breaker = CircuitBreakerStateMachine(policy: policy())
        for _ in 0..<4 { _ = call(&breaker, failed: true) }
        let later = start + .seconds(11)
        _ = breaker.admit(now: later)
        #expect(breaker.record(failed: false, duration: .seconds(1), now: later) == .open(until: later + .seconds(10)))
    }

    @Test func theDefaultPolicyUsesARecoveredDependencyWithinTwoSeconds() {
        var breaker = CircuitBreakerStateMachine(policy: CircuitBreakerPolicy())
        for _ in 0..<CircuitBreakerPolicy().minimumCalls { _ = call(&breaker, failed: true) }
        #expect(breaker.state.name == "open")
        // The dependency is back at once: the first call after the interval is a trial, its success closes.
        let trial = start + CircuitBreakerPolicy().openDuration
        #expect(CircuitBreakerPolicy().openDuration < .seconds(2))
        #expect(breaker.admit(now: trial) == .allowed)
        #expect(breaker.record(failed: false, duration: .milliseconds(5), now: trial) == .closed)
    }
}

@Suite("Retry policy")
struct RetryPolicyTests {
    let now = ContinuousClock.now
    let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300))

    func delay(_ failure: RetryPolicy.Failure, attempt: Int = 1, idempotent: Bool = true, deadline: Duration = .seconds(10), random: Double = 1) -> Duration? {
        policy.delay(after: failure, attempt: attempt, idempotent: idempotent, now: now, deadline: now + deadline, random: { random })
    }

    @Test func retriesRetryableFailuresOfIdempotentCalls() {
        #expect(delay(.connectFailed) == .milliseconds(100))
        #expect(delay(.status(502, retryAfter: nil)) == .milliseconds(100))
        #expect(delay(.status(504, retryAfter: nil), attempt: 2) == .milliseconds(200))
        #expect(delay(.status(503, retryAfter: nil), attempt: 2, random: 0.5) == .milliseconds(100))
    }

    @Test func backoffIsCapped() {
        let capped = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300))
        #expect(capped.delay(after: .connectFailed, attempt: 6, idempotent: true, now: now, deadline: now + .seconds(10), random: { 1 }) == .milliseconds(300))
    }

    @Test func neverRetriesNonIdempotentOrNonRetryableOrExhausted() {
        #expect(delay(.connectFailed, idempotent: false) == nil)
        #expect(delay(.status(500, retryAfter: nil)) == nil)
        #expect(delay(.status(404, retryAfter: nil)) == nil)
        #expect(delay(.other) == nil)
        #expect(delay(.connectFailed, attempt: 3) == nil)
    }

    @Test func honoursRetryAfter() {
        #expect(delay(.status(429, retryAfter: .seconds(2))) == .seconds(2))
        #expect(delay(.status(503, retryAfter: .seconds(1))) == .seconds(1))
    }

    @Test func neverWaitsPastTheDeadline() {
        #expect(delay(.status(429, retryAfter: .seconds(5)), deadline: .seconds(3)) == nil)
        #expect(delay(.connectFailed, deadline: .milliseconds(50)) == nil)
    }

    @Test func idempotentMethods() {
        #expect(RetryPolicy.isIdempotent("GET") && RetryPolicy.isIdempotent("put") && RetryPolicy.isIdempotent("DELETE"))
        #expect(!RetryPolicy.isIdempotent("POST") && !RetryPolicy.isIdempotent("PATCH"))
    }
}

@Suite("Bulkhead")
struct BulkheadTests {
    @Test func rejectsOverTheCapAndFreesSlots() {
        let bulkhead = Bulkhead(maxConcurrent: 2)
        #expect(bulkhead.tryEnter())
        #expect(bulkhead.tryEnter())
        #expect(!bulkhead.tryEnter())
        bulkhead.leave()
        #expect(bulkhead.tryEnter())
        #expect(bulkhead.current == 2)
    }
}
