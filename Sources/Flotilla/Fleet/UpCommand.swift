import ArgumentParser
import FlotillaKit
import Foundation

/// `flotilla up`: the whole fleet of a profile on this machine, with data, in one command.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start PostgreSQL, Redis and every service of a profile; Ctrl-C stops them all.",
        discussion: "State (database, keys, logs) lives in --home; `flotilla down` stops the fleet from another terminal.")

    @Option(help: "Which seed's services to start: \(FleetProfile.allCases.map(\.rawValue).joined(separator: ", ")).")
    var profile: FleetProfile = .all

    @OptionGroup var location: FleetLocation

    @Option(help: "Added to every service's port (gateway 3000 + offset, auth 3001 + offset, ...).")
    var portOffset: Int = 0

    @Option(help: "Port of the fleet's PostgreSQL.")
    var postgresPort: Int = 55432

    @Option(help: "Port of the fleet's Redis.")
    var redisPort: Int = 56379

    @Flag(help: "Show the services' logs as JSON lines instead of the readable format.")
    var json = false

    @Flag(help: "Use the service binaries as they are; do not run swift build.")
    var noBuild = false

    @Option(help: "Directory with the service binaries (default: beside this program).")
    var binDir: String?

    @Flag(help: "Stop the fleet when the process that started this command exits, even if it is killed (for test harnesses and scripts).")
    var exitWithParent = false

    func validate() throws {
        guard (0...60_000).contains(portOffset) else { throw ValidationError("--port-offset must be 0 to 60000") }
        for (name, port) in [("--postgres-port", postgresPort), ("--redis-port", redisPort)] where !(1024...65_535).contains(port) {
            throw ValidationError("\(name) must be 1024 to 65535")
        }
    }

    func run() async throws {
        let signals = TerminationSignals()
        let home = location.home
        let printer = LogPrinter(services: profile.services + ["postgres", "redis"], colour: !json && isatty(STDOUT_FILENO) == 1)
        let parentWatch = exitWithParent ? ParentWatch.start { printer.say("the process that started flotilla up exited") } : nil
        defer { parentWatch?.cancel() }
        do {
            try await up(home: home, printer: printer, signals: signals)
        } catch let failure as FleetFailure {
            printer.say("cannot start the fleet: \(failure)")
            throw ExitCode(1)
        }
    }

    private func up(home: FleetHome, printer: LogPrinter, signals: TerminationSignals) async throws {
        if let record = home.readRecord(), isAlive(record.supervisor) {
            throw FleetFailure("The fleet in \(home.root.path) is already running (flotilla up, pid \(record.supervisor)); stop it with `flotilla down`.")
        }
        let prerequisites = try Prerequisites.find()
        try home.create()
        let postgres = LocalPostgres(bin: prerequisites.postgresBin, directory: home.postgres, port: postgresPort)
        let redis = LocalRedis(server: prerequisites.redisServer, directory: home.redis, port: redisPort)
        let environment = FleetEnvironment(
            home: home, profile: profile, portOffset: portOffset, databaseURL: postgres.url, redisURL: redis.url, json: json,
            repository: FleetEnvironment.findRepository())
        var wanted = profile.services.map { (port: environment.port(of: $0), owner: $0) }
        if !postgres.isRunning { wanted.append((postgresPort, "PostgreSQL")) }
        if !redis.isRunning { wanted.append((redisPort, "Redis")) }
        try Ports.requireFree(wanted)
        if !profile.missing.isEmpty {
            printer.say("profile \(profile.rawValue): not built yet, so not started: \(profile.missing.joined(separator: ", "))")
        }

        let binaries = binDir.map { ServiceBinaries(directory: URL(fileURLWithPath: $0)) } ?? .besideThisProgram
        if !noBuild, let repository = environment.repository {
            try binaries.build(binaries.stale(profile.services, repository: repository), repository: repository, say: printer.say)
        }
        if let missing = profile.services.first(where: { !FileManager.default.isExecutableFile(atPath: binaries.binary($0).path) }) {
            throw FleetFailure("No \(missing) binary in \(binaries.directory.path); build it with `swift build --product \(missing)`.")
        }

        let launcher = FleetLauncher(
            home: home, profile: profile, environment: environment, binaries: binaries, postgres: postgres, redis: redis, printer: printer)
        let started = ContinuousClock.now
        try await launcher.start()
        printer.write(FleetSummary(profile: profile, services: launcher.services, environment: environment, elapsed: FleetLauncher.elapsed(since: started)).text)

        let signal = await signals.wait()
        printer.say("\(signal == SIGINT ? "Ctrl-C" : "SIGTERM"): stopping services, then Redis, then PostgreSQL")
        await launcher.stop()
        printer.say("stopped")
    }
}

/// `--home`, shared by every fleet command.
struct FleetLocation: ParsableArguments {
    @Option(help: "Directory for the fleet's state (database, keys, logs, run record).")
    var homePath: String = ".flotilla"

    var home: FleetHome { FleetHome(path: homePath) }

    static var helpNames: NameSpecification { .long }
}
