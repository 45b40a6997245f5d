import Foundation

/// Runs `openapi-spec-validator` (PyPI; `scripts/test-deps install` installs it) on a
/// service's `openapi.yaml`.
public enum OpenAPIValidator {
    /// Exit status and output of the validator for the document at `path`.
    public static func validate(path: String) async throws -> Promtool.CheckResult {
        try await BlockingWork.run { try validateBlocking(path: path) }
    }

    static func validateBlocking(path: String) throws -> Promtool.CheckResult {
        let (status, text) = try CleanSpawn.run("python3", ["-m", "openapi_spec_validator", path])
        if status != 0, text.contains("No module named openapi_spec_validator") {
            throw ToolMissing(tool: "openapi-spec-validator", hint: "python3 -m pip install openapi-spec-validator (scripts/test-deps install does)")
        }
        return Promtool.CheckResult(status: status, findings: text)
    }
}
