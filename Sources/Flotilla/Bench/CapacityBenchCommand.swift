import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import FlotillaLoad
import Foundation

/// `flotilla bench capacity`: a profile's fleet (release binaries, its own PostgreSQL and
/// Redis, a route table whose rate limits allow the load) under its realistic mix at rising
/// fixed rates with `flotilla load`; reports the highest rate whose p99 stays under 50 ms.
struct CapacityBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capacity",
        abstract: "Highest offered rate of a profile's mix whose p99 stays under a bound.")

    @Option(help: "Profile: chronos (watch-store mix), habit-tracker (habits mix), task-management (tasks mix) or project-management (people, tasks and time).")
    var profile: FleetProfile = .chronos

    /// The profiles with a mix.
    static let profiles: [FleetProfile] = [.chronos, .habitTracker, .taskManagement, .projectManagement]

    @Option(help: "Rates to try in order, requests per second.")
    var rates = "50,100,200,400,800,1600"

    @Option(help: "Seconds measured per rate (1-120).")
    var seconds = 10

    @Option(help: "The p99 bound in milliseconds.")
    var p99Bound: Double = 50

    func run() async throws {
        guard Self.profiles.contains(profile) else {
            throw ValidationError("--profile chronos, habit-tracker, task-management or project-management")
        }
        let steps = rates.split(separator: ",").compactMap { Double($0) }
        guard !steps.isEmpty, steps.allSatisfy({ (1...100_000).contains($0) }), (1...120).contains(seconds) else {
            throw ValidationError("--rates: comma-separated rates 1-100000; --seconds 1-120")
        }
        let result = try await CapacityBench(profile: profile, rates: steps, seconds: seconds, warmUpSeconds: 2, p99Bound: p99Bound).run()
        print(result.table)
    }
}

/// One capacity measurement: rising open-loop rates of a profile's mix through its gateway.
struct CapacityBench {
    let profile: FleetProfile
    let rates: [Double]
    let seconds: Int
    let warmUpSeconds: Int
    let p99Bound: Double

    /// What it found: every rate tried (it stops at the first that misses the bound).
    struct Result: Codable {
        let profile: String
        let scenario: String
        let secondsPerRate: Int
        let p99BoundMilliseconds: Double
        let steps: [LoadRun.Result]
        /// The highest rate whose p99 met the bound with under 1% errors.
        let highestRate: Double?

        var table: String {
            var lines = ["\(scenario) through the gateway, \(secondsPerRate) s per rate (p99 bound \(String(format: "%.0f", p99BoundMilliseconds)) ms):",
                         "offered req/s  achieved  errors      p50 ms    p99 ms  p99.9 ms"]
            for step in steps {
                lines.append(String(format: "%13.0f %9.1f %7d %11.2f %9.2f %9.2f", step.targetRate, step.achievedRate, step.errors,
                                    step.latency.p50, step.latency.p99, step.latency.p999))
            }
            lines.append(highestRate.map { "highest rate with p99 ≤ \(String(format: "%.0f", p99BoundMilliseconds)) ms and < 1% errors: \(String(format: "%.0f", $0)) req/s" }
                ?? "no rate met the bound")
            return lines.joined(separator: "\n")
        }
    }

    /// Each profile's mix (a built-in ``Scenario``).
    static let scenarios: [FleetProfile: String] = [
        .chronos: "watch-store", .habitTracker: "habits", .taskManagement: "tasks", .projectManagement: "project-management",
    ]

    func run() async throws -> Result {
        try await BenchFleet.with(profile) { try await measure($0) }
    }

    private func measure(_ fleet: BenchFleet) async throws -> Result {
        let gateway = fleet.url(of: "gateway")
        // The demo user: the mixes read its demo data (`habits seed`, `tasks seed`).
        let token = try await fleet.devToken(subject: "demo-user")
        if profile == .chronos { try await Self.restock(gateway: gateway, token: token) }
        let scenario = Scenario.builtIn[Self.scenarios[profile] ?? "habits"]!
        var steps = [LoadRun.Result]()
        var best: Double?
        for rate in rates {
            let result = try await LoadRun(
                baseURL: gateway, scenario: scenario, rate: rate, duration: .seconds(seconds), warmUp: .seconds(warmUpSeconds), connections: 64,
                token: token, timeout: .seconds(10)
            ).run()
            steps.append(result)
            guard result.latency.p99 <= p99Bound, Double(result.errors) <= Double(result.requests) * 0.01 else { break }
            best = rate
        }
        return Result(profile: profile.rawValue, scenario: scenario.name, secondsPerRate: seconds, p99BoundMilliseconds: p99Bound,
                      steps: steps, highestRate: best)
    }

    /// Enough stock that checkouts never run out during the run.
    static func restock(gateway: String, token: String) async throws {
        for product in ["prod_036", "prod_013", "prod_049", "prod_026", "prod_003"] {
            let reply = try await HTTPTestClient.send(
                "PUT", gateway + "/api/v1/products/\(product)", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: #"{"stock": 10000000}"#)
            guard reply.status == 200 else { throw BenchFailure("could not restock \(product): \(reply.body)") }
        }
    }
}
