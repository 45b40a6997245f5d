import Foundation

/// Runs `openapi-spec-validator` (PyPI; `scripts/test-deps install` installs it) on a
/// service's `openapi.yaml`.
public enum OpenAPIValidator {
    /// Exit status and output of the validator for the document at `path`.
    public static func validate(path: String) async throws -> Promtool.CheckResult {
        try await BlockingWork.run { try validateBlocking(path: path) }
    }

    static func validateBlocking(path: String) throws -> Promtool.CheckResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-m", "openapi_spec_validator", path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0, text.contains("No module named openapi_spec_validator") {
            throw ToolMissing(tool: "openapi-spec-validator", hint: "python3 -m pip install openapi-spec-validator (scripts/test-deps install does)")
        }
        return Promtool.CheckResult(status: process.terminationStatus, findings: text)
    }
}
