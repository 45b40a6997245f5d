#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads typed settings from environment variables (12-factor configuration).
///
/// Each accessor returns the default when the variable is unset or empty and records a
/// ``ConfigurationError/Problem`` when it is set to something unusable. Call ``validate()``
/// once every setting has been read to fail with all problems at once:
///
/// ```swift
/// var environment = EnvironmentReader()
/// let port = environment.integer("PORT", default: 8080, in: 1...65535)
/// try environment.validate()
/// ```
public struct EnvironmentReader: Sendable {
    /// The raw variables.
    public let values: [String: String]
    /// Problems recorded so far.
    public private(set) var problems: [ConfigurationError.Problem] = []

    /// Create a reader over `values`, by default the process environment.
    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    /// The variable's value, or nil when it is unset or empty.
    public func raw(_ name: String) -> String? {
        guard let value = values[name] else { return nil }
        let trimmed = value.trimmingWhitespace()
        return trimmed.isEmpty ? nil : String(trimmed)
    }

    /// A string setting.
    public func string(_ name: String, default defaultValue: String) -> String {
        raw(name) ?? defaultValue
    }

    /// An integer setting that must lie in `range`.
    public mutating func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let text = raw(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            record(name, text, "an integer from \(range.lowerBound) to \(range.upperBound)")
            return defaultValue
        }
        return value
    }

    /// A duration given in (possibly fractional) seconds that must lie in `range`.
    public mutating func seconds(_ name: String, default defaultValue: Duration, in range: ClosedRange<Double>) -> Duration {
        guard let text = raw(name) else { return defaultValue }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            record(name, text, "a number of seconds from \(range.lowerBound.formatted()) to \(range.upperBound.formatted())")
            return defaultValue
        }
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// A boolean setting: `true`/`false`, `1`/`0`, `yes`/`no` (any case).
    public mutating func boolean(_ name: String, default defaultValue: Bool) -> Bool {
        guard let text = raw(name) else { return defaultValue }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            record(name, text, "true or false")
            return defaultValue
        }
    }

    /// One of a fixed set of string values.
    public mutating func choice<Value: RawRepresentable & CaseIterable>(
        _ name: String,
        default defaultValue: Value
    ) -> Value where Value.RawValue == String {
        guard let text = raw(name) else { return defaultValue }
        guard let value = Value(rawValue: text.lowercased()) else {
            let options = Value.allCases.map(\.rawValue).joined(separator: ", ")
            record(name, text, "one of \(options)")
            return defaultValue
        }
        return value
    }

    /// Record a problem found by service-specific validation.
    public mutating func record(_ name: String, _ value: String?, _ expected: String) {
        problems.append(.init(variable: name, value: value, expected: expected))
    }

    /// Throw a ``ConfigurationError`` listing every problem recorded, if any.
    public func validate() throws(ConfigurationError) {
        if !problems.isEmpty {
            throw ConfigurationError(problems: problems)
        }
    }
}

extension Double {
    fileprivate func formatted() -> String {
        self == rounded() ? String(Int(self)) : String(self)
    }
}
