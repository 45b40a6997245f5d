#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One event, in the one JSON shape every service publishes and consumes (README, "Events"):
///
/// ```json
/// {"id": "…uuid…", "type": "habit.checked_in", "version": 1,
///  "occurred_at": "2026-12-06T09:30:00.123456Z", "source": "habits",
///  "aggregate": {"type": "habit", "id": "…"}, "actor": "user-id",
///  "data": {…}, "traceparent": "00-…-…-01", "request_id": "…"}
/// ```
///
/// `traceparent` and `request_id` are those of the request that caused the event, so a
/// consumer's log lines and outgoing calls continue the same trace across the hop.
public struct EventEnvelope: Codable, Sendable, Equatable {
    /// What the event is about.
    public struct Aggregate: Codable, Sendable, Equatable {
        public var type: String
        public var id: String

        public init(type: String, id: String) {
            self.type = type
            self.id = id
        }
    }

    public var id: String
    /// `<aggregate>.<what happened>`, e.g. `habit.checked_in`.
    public var type: String
    /// The version of `type`'s `data` shape.
    public var version: Int
    /// When the change was made (RFC 3339, UTC).
    public var occurredAt: String
    /// The service that published it.
    public var source: String
    public var aggregate: Aggregate
    /// The principal who caused it, when there is one.
    public var actor: String?
    /// The event's own fields (a JSON object).
    public var data: [String: JSONValue]
    public var traceparent: String?
    public var requestID: String?

    public init(
        id: String, type: String, version: Int = 1, occurredAt: String, source: String, aggregate: Aggregate,
        actor: String? = nil, data: [String: JSONValue], traceparent: String? = nil, requestID: String? = nil
    ) {
        self.id = id
        self.type = type
        self.version = version
        self.occurredAt = occurredAt
        self.source = source
        self.aggregate = aggregate
        self.actor = actor
        self.data = data
        self.traceparent = traceparent
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case id, type, version, source, aggregate, actor, data, traceparent
        case occurredAt = "occurred_at"
        case requestID = "request_id"
    }

    /// The stream a service publishes to: `events:<source>`.
    public static func streamName(source: String) -> String { "events:\(source)" }

    /// The correlation a consumer runs its handler under: the causing request's id and a new
    /// span in its trace (a fresh trace when the event carries none).
    public var correlation: RequestCorrelation {
        RequestCorrelation(requestID: requestID ?? id, trace: TraceContext.continuing(traceparent))
    }
}
