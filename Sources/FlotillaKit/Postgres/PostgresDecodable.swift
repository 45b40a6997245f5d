#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Swift type a column's text value can be decoded into.
public protocol PostgresDecodable: Sendable {
    /// Decode from the column's text form; throw ``PostgresDecodingFailure`` saying why not.
    init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure)
}

/// Why a column value could not become the requested type (the row adds the column name).
public struct PostgresDecodingFailure: Error, Sendable, Equatable {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    static func mismatch(_ text: String, _ swiftType: Any.Type, _ type: UInt32) -> PostgresDecodingFailure {
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        return PostgresDecodingFailure("cannot decode '\(shown)' (type oid \(type)) as \(swiftType)")
    }
}

extension PostgresDecodable where Self: LosslessStringConvertible {
    fileprivate static func parse(_ text: String, _ type: UInt32) throws(PostgresDecodingFailure) -> Self {
        guard let value = Self(text) else { throw .mismatch(text, Self.self, type) }
        return value
    }
}

extension Int: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) { self = try .parse(text, type) }
}

extension Int64: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) { self = try .parse(text, type) }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) { self = try .parse(text, type) }
}

extension Double: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        switch text {
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        default: self = try .parse(text, type)
        }
    }
}

extension String: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) { self = text }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw .mismatch(text, Bool.self, type)
        }
    }
}

extension Decimal: PostgresDecodable {
    /// NUMERIC kept exact: parsed from its decimal text, never through a `Double`.
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        // Decimal(string:) accepts a numeric prefix ("12x" -> 12): check the whole text first.
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let isPlainNumber = (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
        guard isPlainNumber, body.count <= 38 + 1, let value = Decimal(string: text) else {
            throw .mismatch(text, Decimal.self, type)
        }
        self = value
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        guard let value = UUID(uuidString: text) else { throw .mismatch(text, UUID.self, type) }
        self = value
    }
}

extension Date: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        guard let value = PostgresTextFormat.date(fromTimestamp: text) else { throw .mismatch(text, Date.self, type) }
        self = value
    }
}

extension Data: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        guard let value = PostgresTextFormat.bytes(fromByteaHex: text) else { throw .mismatch(text, Data.self, type) }
        self = value
    }
}

extension JSONValue: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        do {
            self = try JSONValue.parse(text)
        } catch {
            throw .mismatch(text, JSONValue.self, type)
        }
    }
}

/// A `json`/`jsonb` object (metadata, say).
extension Dictionary: PostgresDecodable where Key == String, Value == JSONValue {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        guard case .object(let members)? = try? JSONValue.parse(text) else { throw .mismatch(text, [String: JSONValue].self, type) }
        self = members
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        guard let elements = PostgresTextFormat.arrayElements(text) else { throw .mismatch(text, [Element].self, type) }
        var values = [Element]()
        values.reserveCapacity(elements.count)
        for element in elements {
            guard let element else { throw PostgresDecodingFailure("array contains NULL; decode as an array of optionals") }
            values.append(try Element(postgresText: element, type: PostgresType.unknown))
        }
        self = values
    }
}
