public import NIOCore
public import Logging
import Prometheus
import Synchronization

/// Calls to one upstream service, made resilient: a bulkhead caps concurrency, a circuit
/// breaker fails fast while the upstream is failing, and idempotent calls are retried with
/// jittered backoff within the caller's deadline.
public final class Upstream: Sendable {
    /// Per-upstream resilience settings.
    public struct Policy: Sendable {
        public var timeout: Duration = .seconds(5)
        public var retry = RetryPolicy()
        public var breaker = CircuitBreakerPolicy()
        public var maxConcurrentCalls = 100

        public init() {}
    }

    public let name: String
    /// e.g. `http://catalog:8080`, from `CATALOG_SERVICE_URL`.
    public let baseURL: String
    public let policy: Policy
    /// Every request to this upstream is signed with these (an S3-compatible object store).
    public let signing: AWSSigV4?
    private let client: FlotillaHTTPClient
    private let breaker: Mutex<CircuitBreakerStateMachine>
    private let bulkhead: Bulkhead
    private let metrics: UpstreamMetrics
    private let logger: Logger

    public init(
        name: String, baseURL: String, policy: Policy = Policy(), signing: AWSSigV4? = nil, client: FlotillaHTTPClient, metrics: MetricsRegistry, logger: Logger
    ) {
        self.name = name
        self.signing = signing
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.policy = policy
        self.client = client
        self.breaker = Mutex(CircuitBreakerStateMachine(policy: policy.breaker))
        self.bulkhead = Bulkhead(maxConcurrent: policy.maxConcurrentCalls)
        self.metrics = UpstreamMetrics(registry: metrics, upstream: name)
        self.logger = logger
    }

    /// The breaker's current state.
    public var breakerState: CircuitBreakerStateMachine.State { breaker.withLock { $0.state } }

    /// Call `path` on the upstream. HTTP statuses (5xx included) come back as responses;
    /// transport failures, an open breaker and a full bulkhead throw ``HTTPClientError``.
    public func execute(
        _ method: String = "GET",
        _ path: String,
        headers: [(String, String)] = [],
        body: [UInt8]? = nil,
        idempotent: Bool? = nil,
        timeout: Duration? = nil
    ) async throws -> HTTPClientResponse {
        guard bulkhead.tryEnter() else {
            metrics.recordCall(method: method, outcome: HTTPClientError.Kind.bulkheadFull.rawValue)
            throw HTTPClientError(.bulkheadFull, "\(name): \(policy.maxConcurrentCalls) calls already in flight")
        }
        defer { bulkhead.leave() }
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        let started = ContinuousClock.now
        defer { metrics.duration.record(.now - started) }
        let request = HTTPClientRequest(method: method, url: baseURL + path, headers: headers, body: body, idempotent: idempotent, signing: signing)
        let deadline = started + (timeout ?? policy.timeout)
        var attempt = 1
        while true {
            let result = try await send(request, deadline: deadline)
            let failure: RetryPolicy.Failure
            switch result {
            case .success(let response):
                metrics.recordCall(method: method, outcome: String(response.status))
                failure = .status(response.status, retryAfter: response.header("Retry-After").flatMap(Int.init).map { Duration.seconds($0) })
                guard let wait = retryDelay(failure, attempt: attempt, request: request, deadline: deadline) else { return response }
                try await retry(after: wait, attempt: &attempt)
            case .failure(let error):
                metrics.recordCall(method: method, outcome: error.kind.rawValue)
                failure = error.kind == .connectFailed ? RetryPolicy.Failure.connectFailed : RetryPolicy.Failure.other
                guard let wait = retryDelay(failure, attempt: attempt, request: request, deadline: deadline) else { throw error }
                try await retry(after: wait, attempt: &attempt)
            }
        }
    }

    /// Stream a call to `path` (``FlotillaHTTPClient/stream(_:body:length:connectTimeout:idleTimeout:)``):
    /// through the breaker and the bulkhead (held until the response head arrives), never
    /// retried (the body cannot be sent twice).
    public func stream<Body: AsyncSequence & Sendable>(
        _ method: String, _ path: String, headers: [(String, String)], body: Body?, length: Int64?, idleTimeout: Duration
    ) async throws -> HTTPClientStreamingResponse where Body.Element == ByteBuffer {
        guard bulkhead.tryEnter() else {
            metrics.recordCall(method: method, outcome: HTTPClientError.Kind.bulkheadFull.rawValue)
            throw HTTPClientError(.bulkheadFull, "\(name): \(policy.maxConcurrentCalls) calls already in flight")
        }
        defer { bulkhead.leave() }
        let started = ContinuousClock.now
        if case .rejected(let retryAfter) = breaker.withLock({ $0.admit(now: started) }) {
            publishBreakerState()
            metrics.recordCall(method: method, outcome: HTTPClientError.Kind.circuitOpen.rawValue)
            throw HTTPClientError(.circuitOpen, "\(name) is failing; calls are refused for another \(retryAfter)")
        }
        do {
            let response = try await client.stream(
                HTTPClientRequest(method: method, url: baseURL + path, headers: headers, signing: signing), body: body, length: length,
                connectTimeout: policy.timeout, idleTimeout: idleTimeout)
            record(failed: response.status >= 500, since: started)
            metrics.recordCall(method: method, outcome: String(response.status))
            return response
        } catch let error as HTTPClientError {
            record(failed: true, since: started)
            metrics.recordCall(method: method, outcome: error.kind.rawValue)
            throw error
        }
    }

    /// One attempt through the breaker.
    private func send(_ request: HTTPClientRequest, deadline: ContinuousClock.Instant) async throws -> Result<HTTPClientResponse, HTTPClientError> {
        let now = ContinuousClock.now
        if case .rejected(let retryAfter) = breaker.withLock({ $0.admit(now: now) }) {
            publishBreakerState()
            return .failure(HTTPClientError(.circuitOpen, "\(name) is failing; calls are refused for another \(retryAfter)"))
        }
        publishBreakerState()
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: max(deadline - started, .milliseconds(1)))
            record(failed: response.status >= 500, since: started)
            return .success(response)
        } catch let error as HTTPClientError {
            record(failed: true, since: started)
            return .failure(error)
        } catch {
            // Cancellation: not the upstream's fault.
            record(failed: false, since: started)
            throw error
        }
    }

    private func retryDelay(_ failure: RetryPolicy.Failure, attempt: Int, request: HTTPClientRequest, deadline: ContinuousClock.Instant) -> Duration? {
        policy.retry.delay(after: failure, attempt: attempt, idempotent: request.idempotent, now: .now, deadline: deadline) { Double.random(in: 0...1) }
    }

    private func retry(after wait: Duration, attempt: inout Int) async throws {
        metrics.retries.increment()
        logger.debug("retrying upstream call", metadata: ["upstream": "\(name)", "attempt": "\(attempt)", "wait": "\(wait)"])
        try await Task.sleep(for: wait)
        attempt += 1
    }

    private func record(failed: Bool, since started: ContinuousClock.Instant) {
        let now = ContinuousClock.now
        guard let transition = breaker.withLock({ $0.record(failed: failed, duration: now - started, now: now) }) else { return }
        metrics.recordTransition(to: transition.name)
        publishBreakerState()
        logger.warning("circuit breaker changed state", metadata: ["upstream": "\(name)", "state": "\(transition.name)"])
    }

    private func publishBreakerState() {
        metrics.breakerState.set(to: breakerState.gaugeValue)
    }
}
