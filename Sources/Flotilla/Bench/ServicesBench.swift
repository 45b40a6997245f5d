import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import FlotillaLoad
import Foundation

/// The per-service measurements: each service started on its own (migrations applied first).
struct ServicesBench {
    let rate: Double
    let seconds: Int

    static let services = ["auth", "habits", "catalog", "customers", "orders", "gateway"]

    /// One service's figures.
    struct Row: Codable {
        let service: String
        let startMilliseconds: Double
        let idleMegabytes: Double
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
        let binary = ServiceBinaries.besideThisProgram.binary(service).path
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
        let (size, kind) = Self.binarySize(service, release: binary)
        return Row(service: service, startMilliseconds: startup.roundedMilliseconds, idleMegabytes: idle, loadedMegabytes: loaded,
                   binaryMegabytes: size, binaryKind: kind)
    }

    /// VmRSS of `pid` in MB.
    static func residentMegabytes(_ pid: pid_t) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return .nan }
        return kilobytes / 1024
    }

    /// The size of `scripts/build-static`'s binary after `strip` (a stripped copy is
    /// measured), else of the release binary (dynamic, unstripped: not comparable with the target).
    static func binarySize(_ service: String, release: String) -> (Double, String) {
        let staticBinary = ".build-static/release/\(service)"
        if FileManager.default.fileExists(atPath: staticBinary) {
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-bench-\(service)-stripped").path
            defer { try? FileManager.default.removeItem(atPath: copy) }
            if let stripped = try? ChildProcess.run("strip", ["-o", copy, staticBinary]), stripped.status == 0, let size = fileSize(copy) {
                return (size, "static, stripped")
            }
        }
        return (fileSize(release) ?? .nan, fileSize(release) == nil ? "missing" : "release, dynamic")
    }

    private static func fileSize(_ path: String) -> Double? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size].flatMap { $0 as? Int }.map { Double($0) / 1_048_576 }
    }
}
