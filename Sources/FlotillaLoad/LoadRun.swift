import FlotillaKit
import Foundation
import Synchronization

/// One open-loop run of a scenario against a base URL over libcurl: a warm-up, then the
/// measured schedule; latency counts from each request's scheduled start.
public struct LoadRun: Sendable {
    let baseURL: String
    let scenario: Scenario
    let rate: Double
    let duration: Duration
    let warmUp: Duration
    let connections: Int
    let token: String?
    let timeout: Duration

    /// A run of `scenario` against `baseURL` (the gateway) at `rate` requests per second.
    public init(baseURL: String, scenario: Scenario, rate: Double, duration: Duration, warmUp: Duration, connections: Int, token: String?, timeout: Duration) {
        self.baseURL = baseURL
        self.scenario = scenario
        self.rate = rate
        self.duration = duration
        self.warmUp = warmUp
        self.connections = connections
        self.token = token
        self.timeout = timeout
    }

    /// What a run measured.
    public struct Result: Codable, Sendable {
        public let scenario: String
        public let targetRate: Double
        public let achievedRate: Double
        public let requests: Int
        public let errors: Int
        public let latency: LatencySummary
        public let byStep: [String: LatencySummary]
        /// Failed requests by HTTP status, or `transport` when there was no answer.
        public let errorsByStatus: [String: Int]

        enum CodingKeys: String, CodingKey {
            case scenario, requests, errors, latency
            case targetRate = "target_rate", achievedRate = "achieved_rate", byStep = "by_step", errorsByStatus = "errors_by_status"
        }
    }

    private final class Tally: Sendable {
        struct Counts {
            var all = LatencyHistogram()
            var steps: [String: LatencyHistogram] = [:]
            var errors = 0
            var errorsByStatus: [String: Int] = [:]
            var finished = 0
        }
        let counts = Mutex(Counts())
    }

    public func run() async throws -> Result {
        let client = FlotillaHTTPClient(configuration: {
            var configuration = FlotillaHTTPClient.Configuration(userAgent: "flotilla-load")
            configuration.maxConnections = connections
            return configuration
        }())
        defer { Task { await client.shutdown() } }
        var picker = Scenario.Picker(scenario)
        let plan = (0..<LoadSchedule(rate: rate, duration: warmUp + duration).count).map { _ in picker.next() }
        let warmUpCount = LoadSchedule(rate: rate, duration: warmUp).count
        let tally = Tally()
        let clock = ContinuousClock()
        let started = clock.now
        await OpenLoopDriver.run(LoadSchedule(rate: rate, duration: warmUp + duration), clock: clock, start: started) { index, scheduled in
            let step = scenario.steps[plan[index]]
            let status = await send(step, index: index, client: client)
            let latency = clock.now - scheduled
            guard index >= warmUpCount else { return }
            tally.counts.withLock { counts in
                counts.finished += 1
                if !(200..<400).contains(status) {
                    counts.errors += 1
                    counts.errorsByStatus[status == 0 ? "transport" : String(status), default: 0] += 1
                }
                counts.all.record(latency)
                counts.steps[step.name, default: LatencyHistogram()].record(latency)
            }
        }
        let elapsed = clock.now - started - warmUp
        return tally.counts.withLock { counts in
            Result(
                scenario: scenario.name, targetRate: rate, achievedRate: Double(counts.finished) / max(elapsed.seconds, duration.seconds),
                requests: counts.finished, errors: counts.errors, latency: counts.all.summary, byStep: counts.steps.mapValues(\.summary),
                errorsByStatus: counts.errorsByStatus)
        }
    }

    /// One request; its HTTP status, or 0 when there was no answer.
    private func send(_ step: Scenario.Step, index: Int, client: FlotillaHTTPClient) async -> Int {
        var headers = [(String, String)]()
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        let body = step.bodies.isEmpty ? nil : step.bodies[index % step.bodies.count]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        if step.idempotent { headers.append(("Idempotency-Key", "load-\(UUID().uuidString)")) }
        let request = HTTPClientRequest(
            method: step.method, url: baseURL + step.paths[index % step.paths.count], headers: headers,
            body: body.map { Array($0.utf8) }, idempotent: false)
        guard let response = try? await client.execute(request, timeout: timeout) else { return 0 }
        return response.status
    }
}
