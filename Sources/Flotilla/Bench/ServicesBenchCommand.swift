import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import FlotillaLoad
import Foundation

/// `flotilla bench services`: per service, the time from exec to `/ready` (migrations
/// applied beforehand), resident memory idle and under an open-loop load, and binary size,
/// each beside its target.
struct ServicesBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "Start time, memory idle and under load, and binary size of every service.",
        discussion: "Needs FLOTILLA_TEST_DATABASE_URL and FLOTILLA_TEST_REDIS_URL (scripts/bench starts them) and the release binaries beside this one.")

    @Option(help: "Requests per second of the load phase (on /live).")
    var rate: Double = 2000

    @Option(help: "Seconds of load (1-60).")
    var seconds: Int = 5

    static let services = ["auth", "habits", "catalog", "customers", "orders", "gateway"]

    struct Row {
        let service: String
        let startMilliseconds: Double
        let idleMegabytes: Double
        let loadedMegabytes: Double
        let binaryMegabytes: Double
        let binaryKind: String
    }

    func run() async throws {
        guard let database = ProcessInfo.processInfo.environment["FLOTILLA_TEST_DATABASE_URL"],
            let redis = ProcessInfo.processInfo.environment["FLOTILLA_TEST_REDIS_URL"]
        else { throw ValidationError("FLOTILLA_TEST_DATABASE_URL / FLOTILLA_TEST_REDIS_URL are not set; run scripts/bench services") }
        guard (1...60).contains(seconds) else { throw ValidationError("--seconds 1-60") }
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("bench-keys-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: keys) }
        var rows = [Row]()
        for service in Self.services {
            rows.append(try await measure(service, database: database, redis: redis, keys: keys.path))
        }
        print(Self.table(rows))
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

    /// The stripped static binary's size when `scripts/build-static` made one, else the
    /// release binary's (dynamic, unstripped: not comparable with the target).
    static func binarySize(_ service: String, release: String) -> (Double, String) {
        let staticPath = ".build-static/release/\(service)"
        for (path, kind) in [(staticPath, "static"), (release, "release, dynamic")] {
            if let attributes = try? FileManager.default.attributesOfItem(atPath: path), let bytes = attributes[.size] as? Int {
                return (Double(bytes) / 1_048_576, kind)
            }
        }
        return (.nan, "missing")
    }

    static func table(_ rows: [Row]) -> String {
        func verdict(_ value: Double, _ limit: Double) -> String {
            value.isFinite ? (value <= limit ? "met" : "NOT met") : "-"
        }
        var lines = ["service    exec→ready ms  idle RSS MB  loaded RSS MB  binary MB (kind)"]
        for row in rows {
            lines.append([
                row.service.padding(toLength: 10, withPad: " ", startingAt: 0),
                String(format: "%13.1f", row.startMilliseconds), String(format: "%12.1f", row.idleMegabytes),
                String(format: "%14.1f", row.loadedMegabytes), String(format: "  %.1f (%@)", row.binaryMegabytes, row.binaryKind),
            ].joined(separator: " "))
        }
        let worstStart = rows.map(\.startMilliseconds).max() ?? .nan
        let worstIdle = rows.map(\.idleMegabytes).max() ?? .nan
        let worstLoaded = rows.map(\.loadedMegabytes).max() ?? .nan
        lines += [
            "",
            "start ≤ 200 ms: \(verdict(worstStart, 200)) (worst \(String(format: "%.1f", worstStart)) ms)",
            "idle ≤ 20 MB: \(verdict(worstIdle, 20)) (worst \(String(format: "%.1f", worstIdle)) MB)",
            "under load ≤ 64 MB: \(verdict(worstLoaded, 64)) (worst \(String(format: "%.1f", worstLoaded)) MB)",
        ]
        let statics = rows.filter { $0.binaryKind == "static" }
        if statics.isEmpty {
            lines.append("static binary ≤ 30 MB: not measured (scripts/build-static SERVICE DIR first)")
        } else {
            let largest = statics.map(\.binaryMegabytes).max()!
            lines.append("static binary ≤ 30 MB: \(verdict(largest, 30)) (largest \(String(format: "%.1f", largest)) MB)")
        }
        return lines.joined(separator: "\n")
    }
}
