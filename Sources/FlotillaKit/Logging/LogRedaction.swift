import Logging

/// Replaces the values of secret-bearing metadata keys before a line is written.
///
/// A key is secret when its lower-cased name contains one of ``sensitiveFragments``
/// (`password`, `token`, `authorization`, `secret`, ...). Nested dictionaries are redacted too.
public enum LogRedaction {
    /// Text written in place of a secret value.
    public static let placeholder = "[REDACTED]"

    /// Fragments of key names whose values are never logged.
    public static let sensitiveFragments = [
        "password", "passwd", "secret", "token", "authorization", "cookie", "api_key", "apikey",
        "credential", "private_key", "totp",
    ]

    /// Whether values under `key` must be hidden.
    public static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveFragments.contains { lowered.contains($0) }
    }

    /// `value` with every sensitive entry, at any depth, replaced by ``placeholder``.
    public static func redact(_ value: Logger.MetadataValue, key: String) -> Logger.MetadataValue {
        if isSensitive(key) { return .string(placeholder) }
        switch value {
        case .dictionary(let dictionary):
            return .dictionary(dictionary.reduce(into: [:]) { $0[$1.key] = redact($1.value, key: $1.key) })
        case .array(let array):
            return .array(array.map { redact($0, key: key) })
        case .string, .stringConvertible:
            return value
        }
    }
}
