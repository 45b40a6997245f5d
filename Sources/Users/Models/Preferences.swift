import FlotillaKit

/// A profile's preferences: a JSON object whose fields and values are fixed by a published
/// JSON Schema (`GET /users/preferences/schema`), built from the same table this validates
/// with, so the two cannot disagree. `PATCH` merges as JSON Merge Patch (RFC 7396): a field
/// set to `null` goes back to its default.
enum Preferences {
    /// One preference: its allowed values (or a check with the pattern it publishes) and default.
    struct Field: Sendable {
        let name: String
        let description: String
        let allowed: [String]?
        let pattern: String?
        let defaultValue: String?
        let isValid: @Sendable (String) -> Bool
    }

    static let fields: [Field] = [
        choice("theme", "Colour scheme of the clients.", ["system", "light", "dark"]),
        choice("week_start", "First day of the week in calendars and timesheets.", ["monday", "sunday", "saturday"]),
        choice("date_format", "How dates are shown.", ["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD.MM.YYYY"]),
        Field(
            name: "default_project", description: "Key of the project new tasks and time entries go to when none is named.",
            allowed: nil, pattern: "^[A-Z]{2,10}$", defaultValue: nil, isValid: { ProjectKey.isValid($0) }),
    ]

    /// The published JSON Schema (draft 2020-12) of the stored object.
    static let schema: JSONValue = {
        var properties: [String: JSONValue] = [:]
        for field in fields {
            var property: [String: JSONValue] = ["type": "string", "description": .string(field.description)]
            if let allowed = field.allowed { property["enum"] = .array(allowed.map(JSONValue.string)) }
            if let pattern = field.pattern { property["pattern"] = .string(pattern) }
            if let value = field.defaultValue { property["default"] = .string(value) }
            properties[field.name] = .object(property)
        }
        return .object([
            "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "/users/preferences/schema", "title": "User preferences",
            "type": "object", "additionalProperties": false, "properties": .object(properties),
        ])
    }()

    /// `stored` with `patch` merged in; 400 naming every unknown field and bad value.
    static func merge(_ patch: [String: JSONValue], into stored: [String: JSONValue]) throws(APIError) -> [String: JSONValue] {
        var merged = stored
        var problems: [String: String] = [:]
        for (name, value) in patch {
            guard let field = fields.first(where: { $0.name == name }) else {
                problems[name] = "is not a preference; known: \(fields.map(\.name).joined(separator: ", "))"
                continue
            }
            switch value {
            case .null:
                merged[name] = nil
            case .string(let text) where field.isValid(text):
                merged[name] = value
            default:
                problems[name] = field.allowed.map { "must be one of \($0.joined(separator: ", ")) (or null for the default)" }
                    ?? "must match \(field.pattern ?? "its pattern") (or be null)"
            }
        }
        if !problems.isEmpty { throw APIError.invalidFields(problems) }
        return merged
    }

    /// What applies: the defaults, overridden by what is stored.
    static func effective(_ stored: [String: JSONValue]) -> [String: JSONValue] {
        var effective: [String: JSONValue] = [:]
        for field in fields {
            if let value = field.defaultValue { effective[field.name] = .string(value) }
        }
        return effective.merging(stored) { $1 }
    }

    private static func choice(_ name: String, _ description: String, _ allowed: [String]) -> Field {
        Field(name: name, description: description, allowed: allowed, pattern: nil, defaultValue: allowed[0], isValid: { allowed.contains($0) })
    }
}
