import Foundation

/// Runs the real `promtool` from the Prometheus distribution.
public enum Promtool {
    /// Result of `promtool check metrics`.
    public struct CheckResult: Sendable {
        /// promtool's exit status (0 when clean).
        public let status: Int32
        /// Findings, one per line; empty when clean.
        public let findings: String
    }

    /// Locations searched for the binary (`PROMTOOL` overrides).
    static var candidates: [String] {
        [ProcessInfo.processInfo.environment["PROMTOOL"], "/usr/bin/promtool", "/usr/local/bin/promtool"].compactMap { $0 }
    }

    /// `promtool check metrics` on `exposition`. Throws if promtool is not installed
    /// (install Debian's `prometheus` package; `scripts/test-deps install` does).
    public static func checkMetrics(_ exposition: String) async throws -> CheckResult {
        try await BlockingWork.run { try checkMetricsBlocking(exposition) }
    }

    static func checkMetricsBlocking(_ exposition: String) throws -> CheckResult {
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ToolMissing(tool: "promtool", hint: "apt-get install --no-install-recommends prometheus")
        }
        // promtool reads the exposition from stdin; the shell feeds it from a file, so the
        // launch goes through posix_spawn (CleanSpawn), never Foundation's Process.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try Data(exposition.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try CleanSpawn.run("/bin/sh", ["-c", "exec \"$0\" check metrics < \"$1\"", path, file.path])
        return CheckResult(status: result.status, findings: result.output)
    }
}

/// A tool the tests need is not installed.
public struct ToolMissing: Error, CustomStringConvertible {
    public let tool: String
    public let hint: String
    public var description: String { "\(tool) is not installed: \(hint)" }
}
