import FlotillaKit
import FlotillaKitTesting
import Foundation

/// `flotilla up` started by a test: a profile on a free block of ports with its own
/// PostgreSQL and Redis in a temporary home. ``down()`` stops it the way a user would; if a
/// test fails first, ``abandon()`` (or deinit) still leaves nothing running.
final class FleetUnderTest: @unchecked Sendable {
    let home: String
    /// The gateway's port; every service is at its design port + (base - 3000).
    let base: Int
    let pid: pid_t
    private let logPath: String
    private var exited = false

    /// Start `profile` and wait until the gateway is ready and the run record is written.
    /// `throughShell` puts a `sh` between this process and `flotilla up` (its parent, and
    /// then ``pid``), for a test that kills the parent.
    init(profile: String, environment extra: [String: String] = [:], throughShell: Bool = false, timeout: Duration = .seconds(180)) async throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-up-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        base = try FreePort.block(of: 18)
        logPath = home + "/up.out"
        let arguments = [
            "up", "--profile", profile, "--home-path", home, "--port-offset", String(base - 3000),
            "--postgres-port", String(try FreePort.allocate()), "--redis-port", String(try FreePort.allocate()), "--no-build", "--json",
            // A test process that dies without stopping it (a crash, SIGKILL) leaves nothing running.
            "--exit-with-parent",
        ]
        let output = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let spare = dup(output)
        defer {
            close(output)
            close(spare)
        }
        let environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let flotilla = try ServiceProcess.productURL(named: "flotilla").path
        let (program, programArguments) = throughShell ? ("/bin/sh", ["-c", #""$0" "$@" & wait"#, flotilla] + arguments) : (flotilla, arguments)
        guard let pid = CleanSpawn.spawn(program, programArguments, output: (descriptor: output, closeInChild: spare), environment: environment)
        else { throw FleetNotReady(log: "cannot start flotilla", exitedEarly: false) }
        self.pid = pid
        let deadline = ContinuousClock.now + timeout
        while !(FileManager.default.fileExists(atPath: home + "/run.json") && (try? HealthcheckProbe(url: url(of: "gateway") + "/ready", timeoutSeconds: 1).run()) != nil) {
            guard CleanSpawn.isRunning(pid), ContinuousClock.now < deadline else {
                let printed = log()  // before abandon() removes the home it is in
                let exitedEarly = !CleanSpawn.isRunning(pid)
                abandon()
                throw FleetNotReady(log: printed, exitedEarly: exitedEarly)
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    deinit {
        abandon()
    }

    /// Start `profile`; when `flotilla up` exits before it is ready (a port picked as free was
    /// taken by another process in between: the suite runs many servers at once), try once
    /// more on fresh ports, saying why on standard error.
    static func start(profile: String, environment: [String: String] = [:], throughShell: Bool = false) async throws -> FleetUnderTest {
        do {
            return try await FleetUnderTest(profile: profile, environment: environment, throughShell: throughShell)
        } catch let failure as FleetNotReady where failure.exitedEarly {
            FileHandle.standardError.write(Data("flotilla up exited before ready; retrying on fresh ports:\n\(failure.log)\n".utf8))
            return try await FleetUnderTest(profile: profile, environment: environment, throughShell: throughShell)
        }
    }

    func port(of service: String) -> Int {
        (Fleet.member(service)?.localPort ?? 3000) - 3000 + base
    }

    func url(of service: String) -> String {
        "http://127.0.0.1:\(port(of: service))"
    }

    /// What `flotilla up` printed so far.
    func log() -> String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// The run record `flotilla up` wrote.
    func record() throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: home + "/run.json")))
    }

    /// The `flotilla up` process, from its run record.
    var supervisor: Int32? {
        guard case .int(let pid)? = (try? record())?["supervisor"] else { return nil }
        return Int32(pid)
    }

    /// Every process the fleet started, from its run record: the services, Redis and the
    /// PostgreSQL postmaster.
    func startedProcesses() throws -> [Int32] {
        let record = try record()
        var started = [Int32]()
        if case .array(let services)? = record["services"] {
            started += services.compactMap { $0["pid"].flatMap { if case .int(let pid) = $0 { Int32(pid) } else { nil } } }
        }
        if case .int(let redis)? = record["redisPID"] { started.append(Int32(redis)) }
        let postmaster = try String(contentsOfFile: home + "/postgres/postmaster.pid", encoding: .utf8).split(separator: "\n").first.flatMap { Int32($0) }
        return started + [postmaster].compactMap { $0 }
    }

    /// `flotilla down`, then the exit status of `flotilla up`.
    func down() async throws -> (down: (status: Int32, output: String), up: Int32?) {
        let result = try await ServiceProcess.run(executable: "flotilla", arguments: ["down", "--home-path", home])
        let status = CleanSpawn.waitForExit(pid)
        exited = true
        return (result, status)
    }

    /// Stop everything without ceremony (a failed test) and remove the home.
    func abandon() {
        if !exited {
            // Through a shell, `pid` is the shell's: stop `flotilla up` itself first.
            if let supervisor, supervisor != pid {
                kill(supervisor, SIGTERM)
                let deadline = ContinuousClock.now + .seconds(30)
                while CleanSpawn.isRunning(supervisor) && ContinuousClock.now < deadline { usleep(50_000) }
            }
            kill(pid, SIGTERM)
            _ = CleanSpawn.waitForExit(pid)
            exited = true
        }
        try? FileManager.default.removeItem(atPath: home)
    }
}

struct FleetNotReady: Error, CustomStringConvertible {
    let log: String
    /// `flotilla up` exited on its own (rather than running out of time).
    let exitedEarly: Bool
    var description: String { "flotilla up did not get ready:\n\(log)" }
}
