/// What a consuming service does with each event type it consumes. Each handler runs in the
/// transaction that records the event as processed, under the causing request's correlation
/// (its `request_id` and trace), so its log lines and outgoing calls continue that trace.
public struct EventHandlers: Sendable {
    /// Handle one event; `session` is inside the transaction that marks it processed.
    public typealias Handler = @Sendable (EventEnvelope, PostgresSession) async throws -> Void

    var byType: [String: Handler] = [:]

    public init() {}

    /// Handle events of `type` with `handler` (types without a handler are acknowledged unhandled).
    public mutating func on(_ type: String, _ handler: @escaping Handler) {
        byType[type] = handler
    }

    /// The handler of `type`, if there is one (tests call handlers directly with this).
    public func handler(for type: String) -> Handler? {
        byType[type]
    }

    /// The types handled.
    public var types: [String] { byType.keys.sorted() }
}
