#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A bound query parameter: its type OID and its text form (nil for SQL NULL).
public struct PostgresParameter: Sendable, Equatable {
    public var type: UInt32
    public var text: String?

    public init(type: UInt32, text: String?) {
        self.type = type
        self.text = text
    }
}

/// A Swift value that can be bound to `$n`.
public protocol PostgresEncodable: Sendable {
    /// The PostgreSQL type the value is sent as.
    static var postgresType: UInt32 { get }
    /// The value's text form.
    var postgresText: String { get }
    /// The value as a parameter (NULL for `nil`).
    var postgresParameter: PostgresParameter { get }
}

extension PostgresEncodable {
    public var postgresParameter: PostgresParameter {
        PostgresParameter(type: Self.postgresType, text: postgresText)
    }
}

/// A value that can also be an element of a bound array.
public protocol PostgresArrayElement: PostgresEncodable {
    /// The array type of this element type, e.g. `_int8`.
    static var postgresArrayType: UInt32 { get }
}

extension Int: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.int8 }
    public static var postgresArrayType: UInt32 { PostgresType.int8Array }
    public var postgresText: String { String(self) }
}

extension Int64: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.int8 }
    public static var postgresArrayType: UInt32 { PostgresType.int8Array }
    public var postgresText: String { String(self) }
}

extension Int32: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.int4 }
    public static var postgresArrayType: UInt32 { PostgresType.int4Array }
    public var postgresText: String { String(self) }
}

extension Double: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.float8 }
    public static var postgresArrayType: UInt32 { PostgresType.float8Array }
    public var postgresText: String {
        if isNaN { return "NaN" }
        if isInfinite { return self > 0 ? "Infinity" : "-Infinity" }
        return "\(self)"
    }
}

extension Decimal: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.numeric }
    public static var postgresArrayType: UInt32 { PostgresType.numericArray }
    public var postgresText: String { description }
}

extension Bool: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.bool }
    public static var postgresArrayType: UInt32 { PostgresType.boolArray }
    public var postgresText: String { self ? "t" : "f" }
}

extension String: PostgresArrayElement {
    /// Sent untyped, so the server infers the column's type (text, varchar, enum, ...).
    public static var postgresType: UInt32 { PostgresType.unknown }
    public static var postgresArrayType: UInt32 { PostgresType.textArray }
    public var postgresText: String { self }
}

extension UUID: PostgresArrayElement {
    public static var postgresType: UInt32 { PostgresType.uuid }
    public static var postgresArrayType: UInt32 { PostgresType.uuidArray }
    public var postgresText: String { uuidString.lowercased() }
}

extension Date: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.timestamptz }
    public var postgresText: String { PostgresTextFormat.timestamp(self) }
}

extension Data: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.bytea }
    public var postgresText: String { PostgresTextFormat.byteaHex(self) }
}

extension JSONValue: PostgresEncodable {
    public static var postgresType: UInt32 { PostgresType.jsonb }
    public var postgresText: String { jsonText }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: UInt32 { Element.postgresArrayType }
    public var postgresText: String { PostgresTextFormat.arrayLiteral(map(\.postgresText)) }
}

/// Any `Encodable` value bound as `jsonb`.
public struct PostgresJSON<Value: Encodable & Sendable>: PostgresEncodable {
    public let value: Value

    public init(_ value: Value) {
        self.value = value
    }

    public static var postgresType: UInt32 { PostgresType.jsonb }
    public var postgresText: String {
        (try? JSONResponse.makeEncoder().encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: UInt32 { Wrapped.postgresType }
    public var postgresText: String { self?.postgresText ?? "" }

    /// `nil` binds SQL NULL.
    public var postgresParameter: PostgresParameter {
        PostgresParameter(type: Wrapped.postgresType, text: self?.postgresText)
    }
}
