import FlotillaKit

/// OAuth scope names: `[a-z0-9:._-]{1,64}`, at most 32 per credential.
enum Scopes {
    static func validated(_ scopes: [String], field: String = "scopes") throws(APIError) -> [String] {
        guard scopes.count <= 32 else { throw APIError.invalidField(field, "At most 32 scopes are allowed.") }
        for scope in scopes {
            guard (1...64).contains(scope.count), scope.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || ":._-".contains($0)) }) else {
                throw APIError.invalidField(field, "'\(scope.prefix(64))' is not a valid scope: use lower-case letters, digits and : . _ -", details: ["scope": .string(String(scope.prefix(64)))])
            }
        }
        return Array(Set(scopes)).sorted()
    }

    /// Split a space-separated `scope` parameter (RFC 6749 §3.3).
    static func parse(_ parameter: String?) -> [String] {
        (parameter ?? "").split(separator: " ").map(String.init)
    }
}
