/// The envelope's JSON text, written and read by hand: the relay writes one per event and
/// every consumer reads one, and `JSONEncoder` / `JSONDecoder` took half the event bus's
/// own CPU at 10,000 events/s (`flotilla bench events`). The text is what the Codable
/// conformance would write (keys sorted, absent optionals omitted) and reads what it reads.
extension EventEnvelope {
    /// The envelope as JSON text (keys sorted).
    public func encoded() -> String {
        Self.text(id: id, type: type, version: version, occurredAt: occurredAt, source: source, aggregate: aggregate, actor: actor,
                  traceparent: traceparent, requestID: requestID) { JSONValue.appendObject(data, to: &$0) }
    }

    /// An envelope's JSON text from its fields, `appendData` writing the `data` object (the
    /// relay copies it from the outbox row as PostgreSQL wrote it, without parsing it).
    static func text(
        id: String, type: String, version: Int, occurredAt: String, source: String, aggregate: Aggregate, actor: String?,
        traceparent: String?, requestID: String?, appendData: (inout String) -> Void
    ) -> String {
        var text = "{"
        if let actor {
            JSONText.appendKey("actor", to: &text)
            JSONText.appendString(actor, to: &text)
            text.append(",")
        }
        text.append("\"aggregate\":{\"id\":")
        JSONText.appendString(aggregate.id, to: &text)
        text.append(",\"type\":")
        JSONText.appendString(aggregate.type, to: &text)
        text.append("},\"data\":")
        appendData(&text)
        text.append(",\"id\":")
        JSONText.appendString(id, to: &text)
        text.append(",\"occurred_at\":")
        JSONText.appendString(occurredAt, to: &text)
        if let requestID {
            text.append(",\"request_id\":")
            JSONText.appendString(requestID, to: &text)
        }
        text.append(",\"source\":")
        JSONText.appendString(source, to: &text)
        if let traceparent {
            text.append(",\"traceparent\":")
            JSONText.appendString(traceparent, to: &text)
        }
        text.append(",\"type\":")
        JSONText.appendString(type, to: &text)
        text.append(",\"version\":")
        text.append(String(version))
        text.append("}")
        return text
    }

    /// Parse an envelope from its JSON text; ``MalformedEnvelope`` names what is wrong.
    public static func decode(_ text: String) throws -> EventEnvelope {
        guard case .object(let fields) = try JSONValue.parse(text) else { throw MalformedEnvelope(field: nil) }
        func string(_ key: String) throws -> String {
            guard case .string(let value) = fields[key] else { throw MalformedEnvelope(field: key) }
            return value
        }
        func optionalString(_ key: String) throws -> String? {
            switch fields[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            default: throw MalformedEnvelope(field: key)
            }
        }
        guard case .int(let version) = fields["version"] else { throw MalformedEnvelope(field: "version") }
        guard case .object(let aggregate) = fields["aggregate"], case .string(let aggregateType) = aggregate["type"],
              case .string(let aggregateID) = aggregate["id"] else { throw MalformedEnvelope(field: "aggregate") }
        guard case .object(let data) = fields["data"] else { throw MalformedEnvelope(field: "data") }
        return EventEnvelope(
            id: try string("id"), type: try string("type"), version: version, occurredAt: try string("occurred_at"),
            source: try string("source"), aggregate: Aggregate(type: aggregateType, id: aggregateID),
            actor: try optionalString("actor"), data: data, traceparent: try optionalString("traceparent"),
            requestID: try optionalString("request_id"))
    }
}

/// JSON text that is not an event envelope: `field` is missing or of the wrong type (nil:
/// the text is not a JSON object).
public struct MalformedEnvelope: Error, CustomStringConvertible, Equatable {
    public let field: String?

    public var description: String {
        field.map { "event envelope without a valid \($0)" } ?? "event envelope is not a JSON object"
    }
}
