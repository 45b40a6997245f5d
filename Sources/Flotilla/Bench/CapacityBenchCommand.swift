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

    @Option(help: "Profile: chronos (watch-store mix) or habit-tracker (habits mix).")
    var profile: FleetProfile = .chronos

    @Option(help: "Rates to try in order, requests per second.")
    var rates = "50,100,200,400,800,1600"

    @Option(help: "Seconds measured per rate (1-120).")
    var seconds = 10

    @Option(help: "The p99 bound in milliseconds.")
    var p99Bound: Double = 50

    func run() async throws {
        guard [.chronos, .habitTracker].contains(profile) else { throw ValidationError("--profile chronos or habit-tracker") }
        let steps = rates.split(separator: ",").compactMap { Double($0) }
        guard !steps.isEmpty, steps.allSatisfy({ (1...100_000).contains($0) }), (1...120).contains(seconds) else {
            throw ValidationError("--rates: comma-separated rates 1-100000; --seconds 1-120")
        }
        setenv("LOG_LEVEL", "warning", 1)
        let home = FleetHome(path: FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-capacity-\(UUID().uuidString.prefix(8))").path)
        defer { try? FileManager.default.removeItem(at: home.root) }
        try home.create()
        let prerequisites = try Prerequisites.find()
        let postgres = LocalPostgres(bin: prerequisites.postgresBin, directory: home.postgres, port: try FreePort.allocate())
        let redis = LocalRedis(server: prerequisites.redisServer, directory: home.redis, port: try FreePort.allocate())
        let base = try FreePort.block(of: 18)
        var environment = FleetEnvironment(
            home: home, profile: profile, portOffset: base - 3000, databaseURL: postgres.url, redisURL: redis.url, json: true,
            repository: FleetEnvironment.findRepository())
        environment.gatewayRoutes = try Self.unlimitedRoutes(for: profile, repository: environment.repository, in: home)
        let printer = LogPrinter(services: profile.services, colour: false)
        let launcher = FleetLauncher(
            home: home, profile: profile, environment: environment, binaries: .besideThisProgram, postgres: postgres, redis: redis, printer: printer)
        try await launcher.start()
        defer { Task { await launcher.stop() } }
        let gateway = "http://127.0.0.1:\(environment.port(of: "gateway"))"
        let token = try await Self.devToken(auth: "http://127.0.0.1:\(environment.port(of: "auth"))")
        if profile == .chronos { try await Self.restock(gateway: gateway, token: token) }

        let scenario = Scenario.builtIn[profile == .chronos ? "watch-store" : "habits"]!
        var lines = ["\(scenario.name) through the gateway, \(seconds) s per rate (p99 bound \(String(format: "%.0f", p99Bound)) ms):",
                     "offered req/s  achieved  errors      p50 ms    p99 ms  p99.9 ms"]
        var best: Double?
        for rate in steps {
            let result = try await LoadRun(
                baseURL: gateway, scenario: scenario, rate: rate, duration: .seconds(seconds), warmUp: .seconds(2), connections: 64,
                token: token, timeout: .seconds(10)
            ).run()
            lines.append(String(format: "%13.0f %9.1f %7d %11.2f %9.2f %9.2f", rate, result.achievedRate, result.errors,
                                result.latency.p50, result.latency.p99, result.latency.p999))
            let ok = result.latency.p99 <= p99Bound && Double(result.errors) <= Double(result.requests) * 0.01
            if ok { best = rate } else { break }
        }
        lines.append(best.map { "highest rate with p99 ≤ \(String(format: "%.0f", p99Bound)) ms and < 1% errors: \(String(format: "%.0f", $0)) req/s" }
            ?? "no rate met the bound")
        await launcher.stop()
        print(lines.joined(separator: "\n"))
    }

    /// The profile's route table with every rate limit raised out of the way (written to `home`).
    static func unlimitedRoutes(for profile: FleetProfile, repository: URL?, in home: FleetHome) throws -> String {
        guard let table = profile.routeTable, let repository else { throw BenchFailure("run inside the repository (the route tables are in helm/flotilla/files/gateway)") }
        var routes = try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: repository.appendingPathComponent(table)))
        if case .object(let limits)? = routes["rate_limits"] {
            routes["rate_limits"] = .object(limits.mapValues { _ in .object(["per_client_per_minute": .int(1_000_000_000), "per_principal_per_minute": .int(1_000_000_000)]) })
        }
        let path = home.root.appendingPathComponent("bench-routes.json")
        try JSONEncoder().encode(routes).write(to: path)
        return path.path
    }

    static func devToken(auth: String) async throws -> String {
        let reply = try await HTTPTestClient.send(
            "POST", auth + "/auth/token", headers: [("Content-Type", "application/json")], body: #"{"userId": "bench", "email": "bench@example.com"}"#)
        guard let token = (try? JSONDecoder().decode(JSONValue.self, from: Data(reply.body.utf8)))?["token"]?.stringValue else {
            throw BenchFailure("no dev token from auth: \(reply.body)")
        }
        return token
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
