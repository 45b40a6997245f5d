import FlotillaKit

/// A header value with parameters, as `Content-Type` and `Content-Disposition` carry them:
/// `form-data; name="file"; filename="a.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9.txt`. Names
/// compare without case; quoted values are unquoted (`\"` unescaped).
struct HeaderParameters: Sendable {
    /// What comes before the first `;` (`form-data`, `multipart/form-data`).
    let value: String
    private let parameters: [String: String]

    init(_ header: String) {
        var parameters: [String: String] = [:]
        var fields = Self.split(header)
        value = fields.isEmpty ? "" : String(fields.removeFirst().trimmingWhitespace())
        for field in fields {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let name = field[..<equals].trimmingWhitespace().lowercased()
            var raw = Substring(field[field.index(after: equals)...].trimmingWhitespace())
            if raw.hasPrefix("\""), raw.hasSuffix("\""), raw.count >= 2 {
                raw = raw.dropFirst().dropLast()
                raw = Substring(raw.replacing("\\\"", with: "\"").replacing("\\\\", with: "\\"))
            }
            if parameters[name] == nil { parameters[name] = String(raw) }
        }
        self.parameters = parameters
    }

    /// Parameter `name`'s value, as given.
    subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    /// Parameter `name*` (RFC 8187: `UTF-8''percent-encoded`), decoded; nil when absent or not UTF-8.
    func extended(_ name: String) -> String? {
        guard let raw = self[name + "*"], let quote = raw.firstRange(of: "''") else { return nil }
        guard raw[..<quote.lowerBound].lowercased() == "utf-8" else { return nil }
        var bytes: [UInt8] = []
        var rest = raw[quote.upperBound...].utf8[...]
        while let byte = rest.popFirst() {
            if byte == UInt8(ascii: "%"), rest.count >= 2, let decoded = UInt8(String(decoding: rest.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(decoded)
                rest = rest.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Split at `;` outside quotes.
    private static func split(_ header: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in header {
            if escaped {
                escaped = false
            } else if character == "\\" && quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                fields.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        fields.append(current)
        return fields
    }
}
