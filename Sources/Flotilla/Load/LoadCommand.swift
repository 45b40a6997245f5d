import ArgumentParser
import FlotillaLoad
import FlotillaKit
import Foundation

/// `flotilla load`: an open-loop load generator (a fixed rate, wrk2-style) with HdrHistogram
/// percentiles, a weighted scenario, a warm-up, a bounded duration and a token.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Offer a fixed request rate to a fleet and report latency percentiles.",
        discussion: "Scenarios: \(Scenario.builtIn.keys.sorted().joined(separator: ", ")). Traffic goes to loopback only.")

    @Option(help: "Base URL (the gateway), on 127.0.0.1.")
    var url = "http://127.0.0.1:3000"

    @Option(help: "Scenario to run.")
    var scenario = "watch-store"

    @Option(help: "Requests per second offered (1-100000).")
    var rate: Double = 100

    @Option(help: "Seconds measured (1-600).")
    var duration: Int = 10

    @Option(help: "Seconds of warm-up before measuring (0-60).")
    var warmUp: Int = 2

    @Option(help: "Connections kept to the server (1-1024).")
    var connections = 32

    @Option(help: "Bearer token; by default one is fetched from --token-url.")
    var token: String?

    @Option(help: "Where to get a dev token (auth's POST /auth/token); empty for none.")
    var tokenURL = "http://127.0.0.1:3001/auth/token"

    @Option(help: "Write the result as JSON to this file.")
    var json: String?

    func validate() throws {
        guard Scenario.builtIn[scenario] != nil else {
            throw ValidationError("unknown scenario '\(scenario)'; choose one of \(Scenario.builtIn.keys.sorted().joined(separator: ", "))")
        }
        guard (1...100_000).contains(rate), (1...600).contains(duration), (0...60).contains(warmUp), (1...1024).contains(connections) else {
            throw ValidationError("--rate 1-100000, --duration 1-600, --warm-up 0-60, --connections 1-1024")
        }
        guard let host = URL(string: url)?.host, ["127.0.0.1", "localhost", "::1"].contains(host) else {
            throw ValidationError("--url must be on loopback (127.0.0.1): load is for this machine only")
        }
    }

    func run() async throws {
        var bearer = token
        if bearer == nil { bearer = try await fetchToken() }
        let result = try await LoadRun(
            baseURL: url, scenario: Scenario.builtIn[scenario]!, rate: rate, duration: .seconds(duration), warmUp: .seconds(warmUp),
            connections: connections, token: bearer, timeout: .seconds(10)
        ).run()
        print(Self.report(result))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result).write(to: URL(fileURLWithPath: json))
        }
    }

    private func fetchToken() async throws -> String? {
        guard !tokenURL.isEmpty else { return nil }
        do {
            return try await DevToken.fetch(from: tokenURL, subject: "demo-user")
        } catch {
            throw ValidationError("\(error); pass --token or start auth with dev tokens (flotilla up)")
        }
    }

    static func report(_ result: LoadRun.Result) -> String {
        func row(_ name: String, _ latency: LatencySummary) -> String {
            let figures = [latency.p50, latency.p90, latency.p99, latency.p999, latency.max].map { String(format: "%9.2f", $0) }
            return ([name.padding(toLength: 10, withPad: " ", startingAt: 0)] + figures).joined(separator: " ")
        }
        var lines = [
            "scenario \(result.scenario): offered \(String(format: "%.0f", result.targetRate)) req/s, achieved \(String(format: "%.1f", result.achievedRate)) req/s, \(result.requests) requests, \(result.errors) errors",
            "           " + ["p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"].map { $0.padding(toLength: 9, withPad: " ", startingAt: 0) }.joined(separator: " "),
            row("all", result.latency),
        ]
        lines += result.byStep.keys.sorted().map { row($0, result.byStep[$0]!) }
        if !result.errorsByStatus.isEmpty {
            lines.append("errors by status: " + result.errorsByStatus.keys.sorted().map { "\($0) ×\(result.errorsByStatus[$0]!)" }.joined(separator: ", ")
                + (result.errorsByStatus["429"] != nil ? " (429: the gateway's rate limit; measure with a route table whose limits allow the rate)" : ""))
        }
        return lines.joined(separator: "\n")
    }
}
