/// An event to record with ``PostgresSession/recordEvents(_:)``: its `type`
/// (`habit.checked_in`) and shape `version`, the `aggregate` and `id` it is about, the
/// `actor` who caused it, and its `data`.
public struct OutboxEvent: Sendable, Equatable {
    public var type: String
    public var version: Int
    public var aggregate: String
    public var id: String
    public var actor: String?
    public var data: [String: JSONValue]

    public init(_ type: String, version: Int = 1, aggregate: String, id: String, actor: String? = nil, data: [String: JSONValue]) {
        self.type = type
        self.version = version
        self.aggregate = aggregate
        self.id = id
        self.actor = actor
        self.data = data
    }

    /// The event as one element of the insert's `jsonb_to_recordset` parameter, with the
    /// request that caused it (absent optionals are NULL columns).
    func row(correlation: RequestCorrelation?) -> JSONValue {
        var row: [String: JSONValue] = [
            "event_type": .string(type), "event_version": .int(version), "aggregate_type": .string(aggregate),
            "aggregate_id": .string(id), "payload": .object(data),
        ]
        row["actor"] = actor.map(JSONValue.string)
        row["traceparent"] = correlation.map { .string($0.trace.traceparent) }
        row["request_id"] = correlation.map { .string($0.requestID) }
        return .object(row)
    }
}
