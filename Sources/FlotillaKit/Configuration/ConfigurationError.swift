/// One or more environment variables held values the service cannot use.
///
/// Thrown at start-up so a misconfigured pod fails fast, naming every bad variable at once.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A single invalid variable.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// Name of the environment variable, e.g. `PORT`.
        public let variable: String
        /// The value found (omitted for secrets).
        public let value: String?
        /// What a valid value looks like.
        public let expected: String

        public init(variable: String, value: String?, expected: String) {
            self.variable = variable
            self.value = value
            self.expected = expected
        }

        public var description: String {
            if let value {
                return "\(variable)=\"\(value)\" is invalid: expected \(expected)"
            }
            return "\(variable) is invalid: expected \(expected)"
        }
    }

    /// Every invalid variable, in the order they were read.
    public let problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration: " + problems.map(\.description).joined(separator: "; ")
    }
}
