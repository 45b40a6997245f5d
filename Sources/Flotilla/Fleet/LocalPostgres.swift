import FlotillaKit
import FlotillaKitTesting
import Foundation
import Logging

/// The fleet's own PostgreSQL cluster in `.flotilla/postgres`, on 127.0.0.1: created with
/// `initdb` on first use, started with `pg_ctl`, reused when already running. PostgreSQL
/// refuses to run as root, so as root its commands run as the `postgres` system user.
struct LocalPostgres: Sendable {
    let bin: URL
    let directory: URL
    let port: Int

    /// The server's log (written by the server's user, so beside its data directory).
    var log: URL { directory.deletingLastPathComponent().appendingPathComponent("postgres-log/server.log") }

    static let user = "flotilla"
    static let database = "flotilla"

    var url: String { "postgres://\(Self.user)@127.0.0.1:\(port)/\(Self.database)" }

    var isRunning: Bool {
        (try? run("pg_ctl", ["-D", directory.path, "status"]))?.status == 0
    }

    /// Start (initialising first if needed) unless it already runs; returns whether it was
    /// already running.
    @discardableResult
    func start() throws -> Bool {
        try prepareDirectories()
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("PG_VERSION").path) {
            let initialised = try run("initdb", ["-D", directory.path, "-U", Self.user, "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
            guard initialised.status == 0 else { throw FleetFailure("initdb failed:\n\(initialised.output)") }
        }
        if isRunning { return true }
        // Room for every service's pool plus a benchmark's pgbench clients.
        let options = "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c max_connections=200"
        let started = try run("pg_ctl", ["-D", directory.path, "-l", log.path, "-o", options, "-w", "-t", "60", "start"])
        guard started.status == 0 else {
            let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").suffix(5).joined(separator: "\n") ?? ""
            throw FleetFailure("PostgreSQL did not start on port \(port):\n\(started.output)\n\(tail)")
        }
        return false
    }

    /// Create the fleet's database unless it exists.
    func createDatabase() async throws {
        var configuration = PostgresConfiguration(url: "postgres://\(Self.user)@127.0.0.1:\(port)/postgres", applicationName: "flotilla-up")
        configuration.minConnections = 0
        configuration.maxConnections = 1
        var logger = Logger(label: "flotilla")
        logger.logLevel = .warning
        let pool = PostgresPool(configuration: configuration, metrics: MetricsRegistry(service: "flotilla", version: "0"), logger: logger)
        defer { Task { await pool.close() } }
        let exists = try await !pool.query("SELECT 1 AS one FROM pg_database WHERE datname = $1", [Self.database]).rows.isEmpty
        if !exists { try await pool.query("CREATE DATABASE \(Self.database)") }
    }

    /// Fast shutdown: open connections are cut, the data is kept.
    func stop() {
        _ = try? run("pg_ctl", ["-D", directory.path, "-m", "fast", "-w", "stop"])
    }

    /// The data and log directories, owned by the user the server runs as.
    private func prepareDirectories() throws {
        for path in [directory, log.deletingLastPathComponent()] {
            try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
        }
        guard geteuid() == 0 else { return }
        if getpwnam(Self.systemUser) == nil {
            let created = try ChildProcess.run("useradd", ["--system", "--no-create-home", Self.systemUser])
            guard created.status == 0 else { throw FleetFailure("PostgreSQL cannot run as root and there is no user '\(Self.systemUser)': \(created.output)") }
        }
        for path in [directory, log.deletingLastPathComponent()] {
            try FileManager.default.setAttributes([.ownerAccountName: Self.systemUser], ofItemAtPath: path.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path.path)
        }
        try checkTheServerUserCanEnter(directory)
    }

    /// As root the server runs as ``systemUser``, which must be able to walk down to its data
    /// directory: a home directory of mode 700 on the way stops `initdb` with "Permission
    /// denied". Say which directory blocks it and the two ways out.
    private func checkTheServerUserCanEnter(_ directory: URL) throws {
        func canEnter(_ path: String) -> Bool {
            (try? ChildProcess.run("runuser", ["-u", Self.systemUser, "--", "test", "-x", path]))?.status == 0
        }
        guard !canEnter(directory.path) else { return }
        var ancestors = [URL]()
        var current = directory
        while current.path != "/" {
            current.deleteLastPathComponent()
            ancestors.insert(current, at: 0)
        }
        let blocked = ancestors.first { !canEnter($0.path) } ?? directory
        let mode = ((try? FileManager.default.attributesOfItem(atPath: blocked.path)[.posixPermissions]) as? Int).map { String($0, radix: 8) } ?? "?"
        throw FleetFailure(
            """
            PostgreSQL cannot run as root, so flotilla runs it as the '\(Self.systemUser)' user, and that user \
            cannot enter \(blocked.path) (mode \(mode)) on the way to \(directory.path).
            Either keep the fleet's files where it can reach them:
                swift run flotilla up --home-path /var/tmp/flotilla
            or let it through that directory (search permission only, no listing):
                chmod o+x \(blocked.path)
            """)
    }

    /// The user PostgreSQL runs as when `flotilla` runs as root.
    static let systemUser = "postgres"

    private func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let program = bin.appendingPathComponent(tool).path
        guard geteuid() == 0 else { return try ChildProcess.run(program, arguments) }
        return try ChildProcess.run("runuser", ["-u", Self.systemUser, "--", program] + arguments)
    }
}

/// The fleet's own Redis in `.flotilla/redis` (append-only file, so data survives
/// restarts), on 127.0.0.1, daemonised with a pid file; reused when already running.
struct LocalRedis: Sendable {
    let server: URL
    let directory: URL
    let port: Int

    var url: String { "redis://127.0.0.1:\(port)/0" }
    var pidFile: URL { directory.appendingPathComponent("redis.pid") }

    var pid: Int32? {
        (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    var isRunning: Bool { pid.map(isAlive) ?? false }

    func start() async throws {
        if isRunning { return }
        let arguments = [
            "--bind", "127.0.0.1", "--port", String(port), "--dir", directory.path, "--daemonize", "yes",
            "--pidfile", pidFile.path, "--logfile", directory.appendingPathComponent("redis.log").path,
            "--appendonly", "yes", "--save", "",
        ]
        let started = try ChildProcess.run(server.path, arguments)
        guard started.status == 0 else { throw FleetFailure("redis-server did not start on port \(port):\n\(started.output)") }
        for _ in 0..<100 {
            if Ports.isInUse(port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FleetFailure("redis-server did not listen on port \(port) (see \(directory.path)/redis.log)")
    }

    func stop() async {
        guard let pid, isAlive(pid) else { return }
        kill(pid, SIGTERM)
        for _ in 0..<200 where isAlive(pid) {
            try? await Task.sleep(for: .milliseconds(25))
        }
    }
}
