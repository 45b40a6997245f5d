import Foundation

/// What a benchmark ran on, written beside its figures: absolute numbers mean little
/// without it (ratios measured in the same run are what hold across machines).
struct MachineDescription: Codable {
    let cpu: String
    let cores: Int
    let memoryGibibytes: Double
    let kernel: String
    let os: String
    /// Versions of the compiler and the reference tools, as each reports itself.
    let tools: [String: String]

    static func current(postgresBin: URL?) -> MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        let osRelease = (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8)) ?? ""
        let memoryKilobytes = value(of: "MemTotal", in: meminfo).flatMap { Double($0.split(separator: " ").first ?? "") } ?? .nan
        var tools = [String: String]()
        let probes: [(String, String, [String])] = [
            ("swift", "swift", ["--version"]), ("wrk", "wrk", ["-v"]), ("nginx", "nginx", ["-v"]), ("pgbench", "pgbench", ["--version"]),
            ("postgres", postgresBin?.appendingPathComponent("postgres").path ?? "postgres", ["--version"]),
            ("redis", "redis-server", ["--version"]),
        ]
        for (name, tool, arguments) in probes {
            if let output = try? ChildProcess.run(tool, arguments).output, let line = output.split(separator: "\n").first(where: { !$0.isEmpty }) {
                tools[name] = String(line)
            }
        }
        return MachineDescription(
            cpu: value(of: "model name", in: cpuinfo) ?? "unknown", cores: ProcessInfo.processInfo.activeProcessorCount,
            memoryGibibytes: (memoryKilobytes / 1_048_576 * 10).rounded() / 10, kernel: ((try? String(contentsOfFile: "/proc/sys/kernel/osrelease", encoding: .utf8)) ?? "unknown").trimmingCharacters(in: .whitespacesAndNewlines),
            os: value(of: "PRETTY_NAME", in: osRelease, separator: "=")?.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) ?? "unknown",
            tools: tools)
    }

    var summary: String {
        "\(cpu), \(cores) cores, \(String(format: "%.1f", memoryGibibytes)) GiB, \(os), Linux \(kernel)"
    }

    /// The value of the first `key: value` (or `key=value`) line.
    private static func value(of key: String, in text: String, separator: Character = ":") -> String? {
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: separator, maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == key {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
