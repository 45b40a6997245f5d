import ArgumentParser
import Foundation

/// `flotilla logs SERVICE`: the service's log from `.flotilla/logs`.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print a service's log (the last lines by default).")

    @Argument(help: "The service, e.g. gateway.")
    var service: String

    @Option(help: "How many of the last lines to print (0: all).")
    var lines: Int = 100

    @OptionGroup var location: FleetLocation

    func run() async throws {
        let file = location.home.log(of: service)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            let known = (try? FileManager.default.contentsOfDirectory(atPath: location.home.logs.path))?
                .filter { $0.hasSuffix(".log") }.map { String($0.dropLast(4)) }.sorted() ?? []
            let others = known.isEmpty ? "" : " There are: " + known.joined(separator: ", ") + "."
            throw ValidationError("No log for '\(service)' in \(location.home.logs.path).\(others)")
        }
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        print((lines > 0 ? all.suffix(lines + 1) : all[...]).joined(separator: "\n"), terminator: "")
    }
}
