import FlotillaKit
import Foundation

/// A service's `events.yaml` (the events it publishes, each with a JSON Schema of its
/// `data`, and those it consumes) checked against the events its outbox recorded. Uses
/// Python's `jsonschema` and `yaml`, which `openapi-spec-validator` brings along.
public enum EventCatalogue {
    /// One event as recorded in an outbox.
    public struct Recorded: Codable, Sendable {
        public let type: String
        public let version: Int
        public let data: JSONValue
    }

    /// Every event the service of `pool`'s schema recorded (waiting or published), in order.
    public static func recorded(in pool: PostgresPool) async throws -> [Recorded] {
        try await pool.query("SELECT event_type, event_version, payload::text AS payload FROM recorded_events ORDER BY position").rows.map { row in
            Recorded(
                type: try row.decode("event_type"), version: try row.decode("event_version"),
                data: try JSONDecoder().decode(JSONValue.self, from: Data(try row.decode("payload", as: String.self).utf8)))
        }
    }

    /// `Sources/<Service>/events.yaml`, found from a test file in `Tests/<Target>/` (pass `#filePath`).
    public static func path(ofService service: String, testFile: String = #filePath) -> String {
        URL(fileURLWithPath: testFile).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/\(service)/events.yaml").standardized.path
    }

    /// Problems found: an event type the catalogue does not list, a version it does not
    /// declare, `data` its schema refuses, an invalid schema, and (with `requireAll`) a
    /// published type never recorded. Empty when all is well.
    public static func problems(catalogue path: String, events: [Recorded], requireAll: Bool = true) async throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).json")
        try JSONEncoder().encode(events).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        return try await BlockingWork.run {
            let (_, text) = try CleanSpawn.run("python3", ["-c", script, path, requireAll ? "all" : "some", input.path])
            if text.contains("No module named") { throw ToolMissing(tool: "jsonschema", hint: "scripts/test-deps install") }
            return text.split(separator: "\n").map(String.init)
        }
    }

    static let script = #"""
        import json, sys, yaml
        from jsonschema import Draft202012Validator
        catalogue = yaml.safe_load(open(sys.argv[1]))
        published = catalogue.get("publishes") or {}
        problems = []
        for name, spec in published.items():
            try:
                Draft202012Validator.check_schema(spec["data"])
            except Exception as error:
                problems.append(f"{name}: invalid schema: {error}")
        seen = set()
        for event in json.load(open(sys.argv[3])):
            spec = published.get(event["type"])
            if spec is None:
                problems.append(f"{event['type']}: recorded but not in the catalogue")
                continue
            seen.add(event["type"])
            if spec.get("version", 1) != event["version"]:
                problems.append(f"{event['type']}: version {event['version']} recorded, {spec.get('version', 1)} declared")
            for error in Draft202012Validator(spec["data"]).iter_errors(event["data"]):
                problems.append(f"{event['type']}: {error.message} at /{'/'.join(map(str, error.absolute_path))}")
        if sys.argv[2] == "all":
            problems += [f"{name}: declared but never recorded by the test" for name in published if name not in seen]
        print("\n".join(sorted(set(problems))))
        """#
}
