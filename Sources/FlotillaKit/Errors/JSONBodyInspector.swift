#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes

/// One pass over a JSON body for what `JSONDecoder` accepts silently but the fleet refuses:
/// a key given twice in one object (the decoder keeps one of them), and a NUL character
/// (`\u0000`) in a string, which PostgreSQL cannot store (text is NUL-terminated, `jsonb`
/// rejects the escape). Malformed JSON is left to the decoder, which names the problem.
struct JSONBodyInspector {
    /// What the pass found first.
    enum Finding: Equatable {
        /// A string value or key at `path` holds a NUL character.
        case nulCharacter(path: String)
        /// The key at `path` appears twice in the same object.
        case duplicateKey(path: String)

        var apiError: APIError {
            switch self {
            case .nulCharacter(let path):
                .invalidField(path, "The field '\(path)' contains a NUL character (\\u0000), which cannot be stored; remove it.")
            case .duplicateKey(let path):
                APIError(
                    .badRequest, code: "invalid_json",
                    message: "The key '\(path)' appears more than once in the same object; send each key once.",
                    details: ["field": .string(path)])
            }
        }
    }

    private enum PathComponent {
        case key(String)
        case index(Int)
    }

    private struct Malformed: Error {}

    /// Deeper nesting is left to the decoder (which has a limit of its own).
    private static let maxDepth = 512

    private let bytes: UnsafeRawBufferPointer
    private var position = 0
    private var path: [PathComponent] = []

    /// The first finding in `body`, or `nil` when there is none (or the JSON is malformed).
    static func inspect(_ body: some Collection<UInt8>) -> Finding? {
        let inspect: (UnsafeRawBufferPointer) -> Finding? = { buffer in
            var inspector = JSONBodyInspector(bytes: buffer)
            return (try? inspector.value(depth: 0)) ?? nil
        }
        if let found = body.withContiguousStorageIfAvailable({ inspect(UnsafeRawBufferPointer($0)) }) { return found }
        return Array(body).withUnsafeBytes(inspect)
    }

    private init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    private mutating func value(depth: Int) throws(Malformed) -> Finding? {
        guard depth < Self.maxDepth else { throw Malformed() }
        skipWhitespace()
        guard position < bytes.count else { throw Malformed() }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""):
            let string = try string(decodingKey: false)
            return string.hasNUL ? .nulCharacter(path: formattedPath()) : nil
        default:
            // A number, true, false or null: their bytes hold neither finding.
            while position < bytes.count, !Self.isDelimiter(bytes[position]) { position += 1 }
            return nil
        }
    }

    private mutating func object(depth: Int) throws(Malformed) -> Finding? {
        position += 1
        var seen = Set<String>()
        skipWhitespace()
        if try consume(UInt8(ascii: "}")) { return nil }
        while true {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw Malformed() }
            let key = try string(decodingKey: true)
            path.append(.key(key.text))
            if key.hasNUL { return .nulCharacter(path: formattedPath()) }
            if !seen.insert(key.text).inserted { return .duplicateKey(path: formattedPath()) }
            skipWhitespace()
            guard try consume(UInt8(ascii: ":")) else { throw Malformed() }
            if let finding = try value(depth: depth + 1) { return finding }
            path.removeLast()
            skipWhitespace()
            if try consume(UInt8(ascii: "}")) { return nil }
            guard try consume(UInt8(ascii: ",")) else { throw Malformed() }
        }
    }

    private mutating func array(depth: Int) throws(Malformed) -> Finding? {
        position += 1
        skipWhitespace()
        if try consume(UInt8(ascii: "]")) { return nil }
        var index = 0
        while true {
            path.append(.index(index))
            if let finding = try value(depth: depth + 1) { return finding }
            path.removeLast()
            skipWhitespace()
            if try consume(UInt8(ascii: "]")) { return nil }
            guard try consume(UInt8(ascii: ",")) else { throw Malformed() }
            index += 1
        }
    }

    /// Reads the string at `position` (its opening quote). Keys are decoded, so `"a"` and
    /// `"\u0061"` count as the same key; values are only scanned.
    private mutating func string(decodingKey: Bool) throws(Malformed) -> (text: String, hasNUL: Bool) {
        let start = position
        position += 1
        var hasNUL = false
        var escaped = false
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard decodingKey else { return ("", hasNUL) }
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<position])
                if !escaped { return (String(decoding: raw.dropFirst().dropLast(), as: UTF8.self), hasNUL) }
                guard let key = try? JSONDecoder().decode(String.self, from: Data(raw)) else { throw Malformed() }
                return (key, hasNUL)
            }
            if byte == 0 { hasNUL = true }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard position + 1 < bytes.count else { throw Malformed() }
                if bytes[position + 1] == UInt8(ascii: "u") {
                    guard position + 5 < bytes.count else { throw Malformed() }
                    if bytes[(position + 2)...(position + 5)].allSatisfy({ $0 == UInt8(ascii: "0") }) { hasNUL = true }
                    position += 6
                } else {
                    position += 2
                }
                continue
            }
            position += 1
        }
        throw Malformed()
    }

    private mutating func consume(_ byte: UInt8) throws(Malformed) -> Bool {
        guard position < bytes.count else { throw Malformed() }
        guard bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func isDelimiter(_ byte: UInt8) -> Bool {
        isWhitespace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
    }

    /// `items[2].name`, as ``Request/fieldPath(_:)`` writes decoding errors' fields.
    private func formattedPath() -> String {
        var text = ""
        for component in path {
            switch component {
            case .index(let index): text += "[\(index)]"
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            }
        }
        return text.isEmpty ? "(body)" : text
    }
}
