import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import FlotillaLoad
import Foundation

/// The per-service measurements: each service started on its own (migrations applied first),
/// as the static binary that ships when `staticBinaries` names `scripts/build-static`'s
/// output, else as the release binary beside this one.
struct ServicesBench {
    let rate: Double
    let seconds: Int
    var staticBinaries: String?

    static let services = ["auth", "users", "notifications", "projects", "tasks", "time", "comments", "files", "habits", "catalog", "customers", "orders", "gateway"]

    /// One service's figures.
    struct Row: Codable {
        let service: String
        let startMilliseconds: Double
        let idleMegabytes: Double
        /// Of the idle figure, the anonymous part (heap, stacks): what each replica costs on
        /// its own; the rest is the binary's pages, shared through the page cache.
        let idleAnonymousMegabytes: Double
        let loadedMegabytes: Double
        let binaryMegabytes: Double
        let binaryKind: String
    }

    /// Every service in turn, against the scratch databases `scripts/bench` started.
    func run() async throws -> [Row] {
        guard let database = ProcessInfo.processInfo.environment["FLOTILLA_TEST_DATABASE_URL"],
            let redis = ProcessInfo.processInfo.environment["FLOTILLA_TEST_REDIS_URL"]
        else { throw ValidationError("FLOTILLA_TEST_DATABASE_URL / FLOTILLA_TEST_REDIS_URL are not set; run scripts/bench services") }
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("bench-keys-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: keys) }
        var rows = [Row]()
        for service in Self.services {
            rows.append(try await measure(service, database: database, redis: redis, keys: keys.path))
        }
        return rows
    }

    private func measure(_ service: String, database: String, redis: String, keys: String) async throws -> Row {
        let binary = staticBinaries.map { "\($0)/\(service)" } ?? ServiceBinaries.besideThisProgram.binary(service).path
        let port = try FreePort.allocate()
        let environment = ProcessInfo.processInfo.environment.merging([
            "PORT": String(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning", "DATABASE_URL": database, "REDIS_URL": redis,
            "DB_SCHEMA": "bench_\(service)", "MIGRATE_ON_START": "false", "AUTH_DEV_MODE": "true", "AUTH_SIGNING_KEYS_DIR": keys,
            "SHUTDOWN_DRAIN_SECONDS": "0",
        ]) { $1 }
        let migrated = try CleanSpawn.run(binary, ["migrate"], environment: environment)
        guard migrated.status == 0 || service == "gateway" else { throw BenchFailure("\(service) migrate failed: \(migrated.output)") }
        // Exec to the first 200 from /ready.
        let started = ContinuousClock.now
        guard let pid = CleanSpawn.spawn(binary, [], environment: environment) else { throw BenchFailure("cannot start \(binary)") }
        defer {
            kill(pid, SIGTERM)
            _ = CleanSpawn.waitForExit(pid)
        }
        while (try? HealthcheckProbe(url: "http://127.0.0.1:\(port)/ready", timeoutSeconds: 1).run()) == nil {
            guard CleanSpawn.isRunning(pid), ContinuousClock.now - started < .seconds(30) else { throw BenchFailure("\(service) did not get ready") }
            try await Task.sleep(for: .milliseconds(1))
        }
        let startup = ContinuousClock.now - started
        try await Task.sleep(for: .seconds(1))
        let idle = Self.residentMegabytes(pid)
        let idleAnonymous = Self.residentMegabytes(pid, field: "RssAnon")
        let sampler = Task {
            var peak = 0.0
            while !Task.isCancelled {
                peak = max(peak, Self.residentMegabytes(pid))
                try? await Task.sleep(for: .milliseconds(100))
            }
            return peak
        }
        _ = try await LoadRun(
            baseURL: "http://127.0.0.1:\(port)", scenario: Scenario.builtIn["live"]!, rate: rate, duration: .seconds(seconds),
            warmUp: .seconds(1), connections: 64, token: nil, timeout: .seconds(5)
        ).run()
        sampler.cancel()
        let loaded = max(await sampler.value, Self.residentMegabytes(pid))
        let (size, kind) = Self.binarySize(binary, isStatic: staticBinaries != nil)
        return Row(service: service, startMilliseconds: startup.roundedMilliseconds, idleMegabytes: idle, idleAnonymousMegabytes: idleAnonymous,
                   loadedMegabytes: loaded,
                   binaryMegabytes: size, binaryKind: kind)
    }

    /// `field` (VmRSS, RssAnon, ...) of `pid`'s status, in MB.
    static func residentMegabytes(_ pid: pid_t, field: String = "VmRSS") -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return .nan }
        return kilobytes / 1024
    }

    /// The size of a static binary after `strip` (a stripped copy is measured), or of a
    /// release binary as it is (dynamic: not comparable with the target).
    static func binarySize(_ binary: String, isStatic: Bool) -> (Double, String) {
        guard isStatic else { return fileSize(binary).map { ($0, "release, dynamic") } ?? (.nan, "missing") }
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-bench-stripped-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: copy) }
        guard let stripped = try? ChildProcess.run("strip", ["-o", copy, binary]), stripped.status == 0 else { return (.nan, "static, strip failed") }
        return (fileSize(copy) ?? .nan, "static, stripped")
    }

    private static func fileSize(_ path: String) -> Double? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size].flatMap { $0 as? Int }.map { Double($0) / 1_048_576 }
    }
}
