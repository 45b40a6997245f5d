import ArgumentParser
import FlotillaKit
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

    @Option(help: "Directory of static binaries to measure instead of the release ones (scripts/build-static's .build-static/release).")
    var staticBinaries: String?

    typealias Row = ServicesBench.Row

    func run() async throws {
        guard (1...60).contains(seconds) else { throw ValidationError("--seconds 1-60") }
        print(Self.table(try await ServicesBench(rate: rate, seconds: seconds, staticBinaries: staticBinaries).run()))
    }

    static func table(_ rows: [Row]) -> String {
        let body = rows.map { row in
            [row.service, TextTable.format(row.startMilliseconds, 1), TextTable.format(row.idleMegabytes, 1), TextTable.format(row.idleAnonymousMegabytes, 1),
             TextTable.format(row.loadedMegabytes, 1), TextTable.format(row.binaryMegabytes, 1), row.binaryKind]
        }
        return TextTable.render(["service", "exec→ready ms", "idle RSS MB", "of it anonymous", "loaded RSS MB", "binary MB", "binary"], body)
            + "\n\n" + BenchTarget.table(BenchTarget.serviceTargets(rows))
    }
}
