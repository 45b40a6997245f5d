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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(exposition.utf8))
        try input.fileHandleForWriting.close()
        let findings = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CheckResult(status: process.terminationStatus, findings: String(decoding: findings, as: UTF8.self))
    }
}

/// A tool the tests need is not installed.
public struct ToolMissing: Error, CustomStringConvertible {
    public let tool: String
    public let hint: String
    public var description: String { "\(tool) is not installed: \(hint)" }
}
