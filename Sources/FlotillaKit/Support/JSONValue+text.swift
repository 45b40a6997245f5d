/// Writing a ``JSONValue`` as JSON text without the Codable round trip: object keys sorted
/// by their UTF-8 bytes and slashes unescaped, as the kit's `JSONEncoder` writes them, at a
/// fraction of the cost (event envelopes and `jsonb` parameters are written this way).
extension JSONValue {
    /// The value as compact JSON text.
    public var jsonText: String {
        var text = ""
        appendJSON(to: &text)
        return text
    }

    /// Append the value as compact JSON text to `output`.
    public func appendJSON(to output: inout String) {
        switch self {
        case .null: output.append("null")
        case .bool(let value): output.append(value ? "true" : "false")
        case .int(let value): output.append(String(value))
        case .double(let value): JSONText.appendNumber(value, to: &output)
        case .string(let value): JSONText.appendString(value, to: &output)
        case .array(let elements):
            output.append("[")
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(",") }
                element.appendJSON(to: &output)
            }
            output.append("]")
        case .object(let members): Self.appendObject(members, to: &output)
        }
    }

    /// Append `members` as a JSON object with sorted keys to `output`.
    static func appendObject(_ members: [String: JSONValue], to output: inout String) {
        output.append("{")
        for (index, key) in members.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).enumerated() {
            if index > 0 { output.append(",") }
            JSONText.appendKey(key, to: &output)
            members[key]!.appendJSON(to: &output)
        }
        output.append("}")
    }
}
