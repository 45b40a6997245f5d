/// The one error body every Flotilla service returns.
public struct ErrorEnvelope: Codable, Sendable, Equatable {
    /// Machine-readable `snake_case` code.
    public var error: String
    /// Human-readable explanation.
    public var message: String
    /// Structured specifics, when there are any.
    public var details: [String: JSONValue]?
    /// The request's `X-Request-ID`.
    public var requestID: String?

    public init(error: String, message: String, details: [String: JSONValue]?, requestID: String?) {
        self.error = error
        self.message = message
        self.details = details
        self.requestID = requestID
    }

    enum CodingKeys: String, CodingKey {
        case error, message, details
        case requestID = "request_id"
    }
}
