#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Decodes a row into a `Decodable` type: each coding key names a column. Scalar
/// properties use ``PostgresDecodable``; nested `Decodable` properties are read from
/// `json`/`jsonb` columns.
struct PostgresRowDecoder: Decoder {
    let row: PostgresRow
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw PostgresError(.decoding, message: "a row decodes into a keyed type (a struct), not an array")
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw PostgresError(.decoding, message: "a row decodes into a keyed type (a struct), not a single value")
    }

    struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let row: PostgresRow
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { row.columns.names.compactMap { Key(stringValue: $0) } }

        func contains(_ key: Key) -> Bool { row.contains(key.stringValue) }

        func decodeNil(forKey key: Key) throws -> Bool {
            try row.text(at: row.index(of: key.stringValue)) == nil
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            if let decodable = type as? any PostgresDecodable.Type {
                return try decodeScalar(decodable, key) as! T
            }
            // Anything else goes through JSON: a struct from a json/jsonb column, or a
            // raw-value enum from a text or integer column.
            let name = key.stringValue
            let text: String = try row.decode(name, as: String.self)
            let readsAsJSON = Self.readsAsJSON(row.columns.types[try row.index(of: name)])
            // Untyped JSON (a metadata object, say) is parsed directly: far cheaper than Codable.
            if readsAsJSON, T.self == JSONValue.self || T.self == [String: JSONValue].self {
                let value = try? JSONValue.parse(text)
                if T.self == JSONValue.self, let value { return value as! T }
                if case .object(let members)? = value { return members as! T }
                throw PostgresError(.decoding, message: "column '\(name)': cannot decode '\(text.prefix(40))' as \(T.self)", column: name)
            }
            let json = readsAsJSON ? text : Self.quoted(text)
            do {
                return try JSONDecoder().decode(T.self, from: Data(json.utf8))
            } catch {
                throw PostgresError(.decoding, message: "column '\(name)': cannot decode '\(text.prefix(40))' as \(T.self)", column: name)
            }
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try row.decode(key.stringValue, as: Bool.self) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try row.decode(key.stringValue, as: String.self) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try row.decode(key.stringValue, as: Double.self) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { Float(try decode(Double.self, forKey: key)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try row.decode(key.stringValue, as: Int.self) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try row.decode(key.stringValue, as: Int64.self) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try row.decode(key.stringValue, as: Int32.self) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try narrow(key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try narrow(key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try narrow(key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try narrow(key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try narrow(key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try narrow(key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try narrow(key) }

        private func narrow<Value: FixedWidthInteger>(_ key: Key) throws -> Value {
            let wide = try row.decode(key.stringValue, as: Int64.self)
            guard let value = Value(exactly: wide) else {
                throw PostgresError(.decoding, message: "column '\(key.stringValue)': \(wide) does not fit \(Value.self)", column: key.stringValue)
            }
            return value
        }

        static func readsAsJSON(_ type: UInt32) -> Bool {
            [PostgresType.json, PostgresType.jsonb, PostgresType.int2, PostgresType.int4, PostgresType.int8,
             PostgresType.float4, PostgresType.float8, PostgresType.numeric].contains(type)
        }

        static func quoted(_ text: String) -> String {
            var json = ""
            JSONText.appendString(text, to: &json)
            return json
        }

        private func decodeScalar(_ type: any PostgresDecodable.Type, _ key: Key) throws -> any PostgresDecodable {
            func open<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
                try row.decode(key.stringValue, as: Value.self)
            }
            return try open(type)
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw PostgresError(.decoding, message: "nested containers are read from JSON columns; declare '\(key.stringValue)' as a Decodable type")
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw PostgresError(.decoding, message: "nested containers are read from JSON columns; declare '\(key.stringValue)' as a Decodable type")
        }

        func superDecoder() throws -> any Decoder { PostgresRowDecoder(row: row) }
        func superDecoder(forKey key: Key) throws -> any Decoder { PostgresRowDecoder(row: row) }
    }
}
