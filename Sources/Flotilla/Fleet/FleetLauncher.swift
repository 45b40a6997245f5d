import FlotillaKit
import FlotillaKitTesting
import Foundation

/// Brings a profile up in order — databases, schemas and demo data, then each service to
/// ready — and takes it down in reverse: services, then Redis, then PostgreSQL.
final class FleetLauncher: Sendable {
    let home: FleetHome
    let profile: FleetProfile
    let environment: FleetEnvironment
    let binaries: ServiceBinaries
    let postgres: LocalPostgres
    let redis: LocalRedis
    let printer: LogPrinter
    let services: [SupervisedService]

    init(home: FleetHome, profile: FleetProfile, environment: FleetEnvironment, binaries: ServiceBinaries,
         postgres: LocalPostgres, redis: LocalRedis, printer: LogPrinter) {
        self.home = home
        self.profile = profile
        self.environment = environment
        self.binaries = binaries
        self.postgres = postgres
        self.redis = redis
        self.printer = printer
        services = profile.services.enumerated().map { index, name in
            SupervisedService(
                name: name, index: index, port: environment.port(of: name), binary: binaries.binary(name),
                environment: environment.variables(for: name), printer: printer, logFile: home.log(of: name))
        }
    }

    /// Start everything; on failure, stops what was started and rethrows.
    func start() async throws {
        for service in services {
            service.onRestart { [weak self] in try? self?.writeRecord() }
        }
        do {
            try await startDatabases()
            try await seed()
            try await startServices()
            try writeRecord()
        } catch {
            await stop()
            throw error
        }
    }

    private func startDatabases() async throws {
        let started = ContinuousClock.now
        let reused = try await BlockingWork.run { [postgres] in try postgres.start() }
        try await postgres.createDatabase()
        printer.say("postgres  \(reused ? "already running" : "ready in \(Self.elapsed(since: started))") on 127.0.0.1:\(postgres.port) (\(home.postgres.path))")
        let redisStarted = ContinuousClock.now
        let redisWasRunning = redis.isRunning
        try await redis.start()
        printer.say("redis     \(redisWasRunning ? "already running" : "ready in \(Self.elapsed(since: redisStarted))") on 127.0.0.1:\(redis.port)")
    }

    /// Migrations and demo data, once per home (`<service> seed` is idempotent anyway).
    private func seed() async throws {
        for name in profile.services where FleetProfile.seeded.contains(name) {
            let marker = home.seedMarker(of: name)
            guard !FileManager.default.fileExists(atPath: marker.path) else { continue }
            let binary = binaries.binary(name).path
            let variables = environment.variables(for: name).merging(["LOG_FORMAT": "json", "LOG_LEVEL": "info"]) { $1 }
            let result = try await BlockingWork.run { try ChildProcess.run(binary, ["seed"], environment: variables) }
            guard result.status == 0 else { throw FleetFailure("\(name) seed failed:\n\(result.output)") }
            printer.say("\(name) demo data: \(Self.seedSummary(result.output) ?? "loaded")")
            _ = FileManager.default.createFile(atPath: marker.path, contents: Data())
        }
    }

    private func startServices() async throws {
        for service in services {
            let started = ContinuousClock.now
            printer.say("\(service.name) starting on \(service.url)")
            try service.start()
            try await service.waitUntilReady(timeout: .seconds(60))
            printer.say("\(service.name) ready in \(Self.elapsed(since: started))")
        }
    }

    func writeRecord() throws {
        try home.write(FleetHome.RunRecord(
            profile: profile.rawValue, supervisor: getpid(), postgresPort: postgres.port, redisPort: redis.port, redisPID: redis.pid,
            services: services.map { .init(name: $0.name, port: $0.port, pid: $0.pid ?? 0) }))
    }

    /// Services in reverse order, then Redis, then PostgreSQL.
    func stop() async {
        for service in services.reversed() {
            await service.stop()
        }
        await redis.stop()
        _ = try? await BlockingWork.run { [postgres] in postgres.stop() }
        home.removeRecord()
    }

    /// The `summary` of the seed's "demo data loaded" log line.
    static func seedSummary(_ output: String) -> String? {
        output.split(separator: "\n").lazy.compactMap { line in
            (try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)))?["summary"]?.stringValue
        }.first
    }

    static func elapsed(since start: ContinuousClock.Instant) -> String {
        let milliseconds = (ContinuousClock.now - start).wholeMilliseconds
        return milliseconds < 1000 ? "\(milliseconds) ms" : String(format: "%.1f s", Double(milliseconds) / 1000)
    }
}
