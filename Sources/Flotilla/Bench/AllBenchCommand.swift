import ArgumentParser
import FlotillaKit
import Foundation

/// `flotilla bench all`: the published sitting — throughput against the reference servers,
/// the gateway's overhead, capacity per profile, per-service start/memory/size — printed as
/// one report with every target's verdict and written as JSON.
struct AllBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run every benchmark in one sitting; print one report and write it as JSON.",
        discussion: "scripts/bench runs this with release binaries; scripts/bench --smoke with the debug build at a tiny size.")

    @Flag(help: "A few seconds per section (CI's check that the benchmark still runs); figures are not comparable.")
    var smoke = false

    @Option(help: "Directory for <date>-<commit>.json.")
    var results = "bench/results"

    @Option(help: "Directory of static binaries for the per-service figures (scripts/build-static's .build-static/release).")
    var staticBinaries: String?

    @Option(help: "Connections for the wrk runs.")
    var connections = 64

    func run() async throws {
        guard (1...512).contains(connections) else { throw ValidationError("--connections 1-512") }
        let seconds = smoke ? 1 : 10
        let lightConnections = 2
        let throughput = try await ThroughputBench(seconds: seconds, connections: connections).run()
        let gateway = try await GatewayBench(seconds: seconds, connections: connections, lightConnections: lightConnections, rounds: smoke ? 1 : 3).run()
        var capacity = [CapacityBench.Result]()
        for profile in CapacityBenchCommand.profiles {
            capacity.append(try await CapacityBench(
                profile: profile, rates: smoke ? [20] : [100, 200, 400, 800, 1200, 1600, 2400], seconds: smoke ? 1 : 10,
                warmUpSeconds: smoke ? 1 : 2, p99Bound: 50
            ).run())
        }
        let services = try await ServicesBench(rate: smoke ? 100 : 2000, seconds: smoke ? 1 : 5, staticBinaries: staticBinaries).run()
        let report = BenchReport(
            date: Self.utcTimestamp(), commit: Self.commit(), scale: smoke ? "smoke" : "full",
            machine: .current(postgresBin: try? Prerequisites.find().postgresBin),
            throughputSettings: .init(connections: connections, seconds: seconds, lightConnections: lightConnections),
            throughput: throughput, gateway: gateway, capacity: capacity, services: services,
            targets: BenchTarget.all(throughput: throughput, gateway: gateway, services: services))
        let directory = URL(fileURLWithPath: results)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(report.fileName)
        try report.json().write(to: file)
        print(report.text)
        print("\nwritten: \(file.path)")
    }

    static func utcTimestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }

    /// The short commit, with `-dirty` when the tree has changes (such figures are not a release's).
    static func commit() -> String {
        guard let head = try? ChildProcess.run("git", ["rev-parse", "--short=10", "HEAD"]), head.status == 0 else { return "unknown" }
        let sha = head.output.trimmingCharacters(in: .whitespacesAndNewlines)
        let status = try? ChildProcess.run("git", ["status", "--porcelain", "--untracked-files=no"])
        return status.map { $0.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty } == false ? sha + "-dirty" : sha
    }
}

/// `flotilla bench throughput`: the wrk sitting on its own.
struct ThroughputBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "throughput", abstract: "wrk against the fleet beside nginx, a bare Hummingbird route and pgbench.")

    @Option(help: "Seconds per target (1-60).")
    var seconds = 10

    @Option(help: "Connections (wrk) and clients (pgbench).")
    var connections = 64

    func run() async throws {
        guard (1...60).contains(seconds), (1...512).contains(connections) else { throw ValidationError("--seconds 1-60, --connections 1-512") }
        let rows = try await ThroughputBench(seconds: seconds, connections: connections).run()
        print(ThroughputBench.table(rows) + "\n\n" + BenchTarget.table(BenchTarget.throughputTargets(rows)))
    }
}
