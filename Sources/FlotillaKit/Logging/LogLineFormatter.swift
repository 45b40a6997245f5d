import Logging

/// Turns one log event into one line of text, as JSON or in the pretty form.
///
/// JSON lines carry `timestamp`, `level`, `service`, `message`, then the correlation keys
/// (`request_id`, `trace_id`, `span_id`) when known, then the remaining metadata sorted by key.
/// Secret-bearing keys are redacted (see ``LogRedaction``).
public enum LogLineFormatter {
    /// Metadata keys written straight after the message, in this order.
    public static let correlationKeys = ["request_id", "trace_id", "span_id"]

    /// A JSON object on one line.
    public static func json(
        timestamp: String,
        level: Logger.Level,
        service: String,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        var line = "{\"timestamp\":\"\(timestamp)\",\"level\":\"\(level.rawValue)\",\"service\":"
        JSONText.appendString(service, to: &line)
        line.append(",\"message\":")
        JSONText.appendString(message, to: &line)
        for (key, value) in ordered(metadata) {
            line.append(",")
            JSONText.appendString(key, to: &line)
            line.append(":")
            appendJSON(LogRedaction.redact(value, key: key), to: &line)
        }
        line.append("}")
        return line
    }

    /// `2026-11-21T19:52:04.123Z info  catalog: message request_id=... key=value`
    public static func pretty(
        timestamp: String,
        level: Logger.Level,
        service: String,
        message: String,
        metadata: Logger.Metadata
    ) -> String {
        let levelName = level.rawValue.padding(to: 8)
        var line = "\(timestamp) \(levelName) \(service): \(message)"
        for (key, value) in ordered(metadata) {
            line.append(" \(key)=\(LogRedaction.redact(value, key: key))")
        }
        return line
    }

    /// Correlation keys first, then the rest sorted, so lines diff and grep well.
    static func ordered(_ metadata: Logger.Metadata) -> [(String, Logger.MetadataValue)] {
        let leading = correlationKeys.compactMap { key in metadata[key].map { (key, $0) } }
        let rest = metadata.filter { !correlationKeys.contains($0.key) }.sorted { $0.key < $1.key }
        return leading + rest.map { ($0.key, $0.value) }
    }

    private static func appendJSON(_ value: Logger.MetadataValue, to line: inout String) {
        switch value {
        case .string(let string):
            JSONText.appendString(string, to: &line)
        case .stringConvertible(let convertible):
            JSONText.appendString(convertible.description, to: &line)
        case .array(let array):
            line.append("[")
            for (index, element) in array.enumerated() {
                if index > 0 { line.append(",") }
                appendJSON(element, to: &line)
            }
            line.append("]")
        case .dictionary(let dictionary):
            line.append("{")
            for (index, entry) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line.append(",") }
                JSONText.appendString(entry.key, to: &line)
                line.append(":")
                appendJSON(entry.value, to: &line)
            }
            line.append("}")
        }
    }
}

extension String {
    fileprivate func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
