/// A field an event handler needs was missing or mistyped: the event is malformed (retried,
/// then dead-lettered, where an operator can look at it).
public struct MalformedEvent: Error, CustomStringConvertible {
    public let type: String
    public let field: String

    public init(type: String, field: String) {
        self.type = type
        self.field = field
    }

    public var description: String { "\(type) event without \(field)" }
}

extension EventEnvelope {
    /// The string field `field` of `data`; ``MalformedEvent`` when it is missing.
    public func text(_ field: String) throws -> String {
        guard case .string(let value) = data[field] ?? .null else { throw MalformedEvent(type: type, field: field) }
        return value
    }

    /// The string field `field` of `data`, or nil.
    public func optionalText(_ field: String) -> String? {
        if case .string(let value) = data[field] ?? .null { return value }
        return nil
    }

    /// The array-of-strings field `field` of `data` (empty when missing).
    public func texts(_ field: String) -> [String] {
        guard case .array(let items) = data[field] ?? .null else { return [] }
        return items.compactMap(\.stringValue)
    }
}
