import FlotillaKit
import FlotillaKitTesting
import Foundation

/// A profile's fleet for a benchmark: the binaries beside this one, its own PostgreSQL and
/// Redis in a temporary home, on free ports, with a route table whose rate limits are raised
/// out of the way; removed again by ``stop()``.
struct BenchFleet {
    let launcher: FleetLauncher
    let environment: FleetEnvironment
    let postgres: LocalPostgres
    let redis: LocalRedis
    private let home: FleetHome

    /// Start `profile` and wait until every service is ready.
    static func start(_ profile: FleetProfile) async throws -> BenchFleet {
        setenv("LOG_LEVEL", "warning", 1)
        let home = FleetHome(path: FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-bench-\(UUID().uuidString.prefix(8))").path)
        try home.create()
        let prerequisites = try Prerequisites.find()
        let postgres = LocalPostgres(bin: prerequisites.postgresBin, directory: home.postgres, port: try FreePort.allocate())
        let redis = LocalRedis(server: prerequisites.redisServer, directory: home.redis, port: try FreePort.allocate())
        let base = try FreePort.block(of: 18)
        var environment = FleetEnvironment(
            home: home, profile: profile, portOffset: base - 3000, databaseURL: postgres.url, redisURL: redis.url, json: true,
            repository: FleetEnvironment.findRepository())
        environment.gatewayRoutes = try unlimitedRoutes(for: profile, repository: environment.repository, in: home)
        let launcher = FleetLauncher(
            home: home, profile: profile, environment: environment, binaries: .besideThisProgram, postgres: postgres, redis: redis,
            printer: LogPrinter(services: profile.services, colour: false))
        do {
            try await launcher.start()
        } catch {
            try? FileManager.default.removeItem(at: home.root)
            throw error
        }
        return BenchFleet(launcher: launcher, environment: environment, postgres: postgres, redis: redis, home: home)
    }

    /// Start `profile`, run `body` against it, and stop the fleet whether `body` succeeds or throws.
    static func with<Value>(_ profile: FleetProfile, _ body: (BenchFleet) async throws -> Value) async throws -> Value {
        let fleet = try await start(profile)
        do {
            let value = try await body(fleet)
            await fleet.stop()
            return value
        } catch {
            await fleet.stop()
            throw error
        }
    }

    /// `http://127.0.0.1:<port>` of a fleet member.
    func url(of service: String) -> String {
        "http://127.0.0.1:\(environment.port(of: service))"
    }

    /// Stop every service and both databases, then remove the home.
    func stop() async {
        await launcher.stop()
        try? FileManager.default.removeItem(at: home.root)
    }

    /// A development token for `subject` from the fleet's auth.
    func devToken(subject: String = "bench") async throws -> String {
        try await DevToken.fetch(from: url(of: "auth") + "/auth/token", subject: subject)
    }

    /// The profile's route table (or the gateway's built-in one) with every rate limit raised
    /// out of the way, written to `home`.
    static func unlimitedRoutes(for profile: FleetProfile, repository: URL?, in home: FleetHome) throws -> String {
        guard let repository else { throw BenchFailure("run inside the repository (the route tables are in helm/flotilla/files/gateway)") }
        let table = profile.routeTable ?? "Sources/Gateway/Resources/default-routes.json"
        var routes = try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: repository.appendingPathComponent(table)))
        if case .object(let limits)? = routes["rate_limits"] {
            routes["rate_limits"] = .object(limits.mapValues { _ in
                .object(["per_client_per_minute": .int(1_000_000_000), "per_principal_per_minute": .int(1_000_000_000)])
            })
        }
        let path = home.root.appendingPathComponent("bench-routes.json")
        try JSONEncoder().encode(routes).write(to: path)
        return path.path
    }
}
