/// Minimal JSON text writing for hot paths (log lines, event envelopes) where `JSONEncoder`
/// is too costly.
enum JSONText {
    /// Append `value` to `output` as a quoted, escaped JSON string.
    static func appendString(_ value: String, to output: inout String) {
        output.append("\"")
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C && $0 != 0x7F }) {
            output.append(value)
        } else {
            appendEscaped(value, to: &output)
        }
        output.append("\"")
    }

    private static func appendEscaped(_ value: String, to output: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output.append("\\\"")
            case "\\": output.append("\\\\")
            case "\n": output.append("\\n")
            case "\r": output.append("\\r")
            case "\t": output.append("\\t")
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                output.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default:
                output.unicodeScalars.append(scalar)
            }
        }
    }

    /// Append `"key":` to `output`.
    static func appendKey(_ key: String, to output: inout String) {
        appendString(key, to: &output)
        output.append(":")
    }

    /// Append `value` as JSON number text: integral values within ±2^53 without a fraction
    /// (as `JSONEncoder` writes them), others in Swift's shortest round-tripping form, and
    /// `null` for NaN and infinities (which JSON cannot express).
    static func appendNumber(_ value: Double, to output: inout String) {
        guard value.isFinite else { return output.append("null") }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            output.append(String(Int64(value)))
        } else {
            output.append(value.description)
        }
    }
}
