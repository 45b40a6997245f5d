import FlotillaKit
import Foundation
import Testing

/// The envelope's hand-written JSON is what its Codable conformance writes and reads, and a
/// text that is not an envelope is refused naming the field.
@Suite("event envelope text")
struct EventEnvelopeTextTests {
    static let full = EventEnvelope(
        id: "0b8f0c1e-3c36-4a4c-9d43-8f3f0b8d1c2a", type: "habit.checked_in", version: 2, occurredAt: "2026-12-06T09:30:00.123456Z",
        source: "habits", aggregate: .init(type: "habit", id: "h/1 \"quoted\""), actor: "user-1",
        data: ["streak": .int(7), "note": .string("a\nb"), "nested": .object(["z": .null, "a": .array([.bool(true), .double(0.5)])])],
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", requestID: "req-1")
    static let bare = EventEnvelope(
        id: "1", type: "order.placed", occurredAt: "2026-12-06T09:30:00Z", source: "orders", aggregate: .init(type: "order", id: "o1"), data: [:])

    @Test(arguments: [full, bare])
    func writesWhatCodableWrites(envelope: EventEnvelope) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(envelope.encoded() == String(decoding: try encoder.encode(envelope), as: UTF8.self))
    }

    @Test(arguments: [full, bare])
    func readsWhatCodableWrites(envelope: EventEnvelope) throws {
        let codable = String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)
        #expect(try EventEnvelope.decode(codable) == envelope)
        #expect(try EventEnvelope.decode(envelope.encoded()) == envelope)
    }

    @Test func explicitNullsAreAbsentOptionals() throws {
        let text = #"{"id":"1","type":"a.b","version":1,"occurred_at":"t","source":"s","aggregate":{"type":"a","id":"1"},"data":{},"actor":null,"traceparent":null,"request_id":null}"#
        let envelope = try EventEnvelope.decode(text)
        #expect(envelope.actor == nil && envelope.traceparent == nil && envelope.requestID == nil)
    }

    @Test(arguments: [
        (#"[1]"#, nil),
        (#"{"type":"a.b","version":1,"occurred_at":"t","source":"s","aggregate":{"type":"a","id":"1"},"data":{}}"#, "id"),
        (#"{"id":"1","type":"a.b","version":"1","occurred_at":"t","source":"s","aggregate":{"type":"a","id":"1"},"data":{}}"#, "version"),
        (#"{"id":"1","type":"a.b","version":1,"occurred_at":"t","source":"s","aggregate":{"type":"a"},"data":{}}"#, "aggregate"),
        (#"{"id":"1","type":"a.b","version":1,"occurred_at":"t","source":"s","aggregate":{"type":"a","id":"1"},"data":[]}"#, "data"),
        (#"{"id":"1","type":"a.b","version":1,"occurred_at":"t","source":"s","aggregate":{"type":"a","id":"1"},"data":{},"actor":7}"#, "actor"),
    ] as [(String, String?)])
    func refusesWhatIsNotAnEnvelope(text: String, field: String?) {
        #expect("\(text)") { try EventEnvelope.decode(text) } throws: { ($0 as? MalformedEnvelope)?.field == field }
    }

    @Test func refusesTextThatIsNotJSON() {
        #expect(throws: JSONParseError.self) { try EventEnvelope.decode("{not json") }
    }
}
