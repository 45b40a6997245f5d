public import Hummingbird

/// Optimistic concurrency with `ETag` and `If-Match` (RFC 9110 §13.1.1): a resource carries a
/// version, reads return it as a strong entity tag, and a write whose `If-Match` names another
/// version is refused with 412 `precondition_failed` instead of silently overwriting a change
/// the client has not seen. A write without `If-Match` is allowed (last writer wins).
public struct EntityTag: Sendable, Equatable {
    /// The header value, quotes included: `"7"`.
    public let value: String

    public init(version: Int) {
        value = "\"\(version)\""
    }

    /// Refuse `request` when its `If-Match` lists neither this tag nor `*`.
    public func check(_ request: Request) throws(APIError) {
        guard let header = request.headers[.ifMatch] else { return }
        let listed = header.split(separator: ",").map { $0.trimmingWhitespace() }
        if listed.contains("*") || listed.contains(where: { $0 == value || $0 == "W/" + value }) { return }
        throw APIError(
            .preconditionFailed, code: "precondition_failed",
            message: "The resource changed since you read it (If-Match \(header.prefix(40)), now ETag \(value)); read it again and retry.",
            details: ["current_etag": .string(value)])
    }

    /// `response` with this tag in its `ETag` header.
    public func tagging(_ response: Response) -> Response {
        var response = response
        response.headers[.eTag] = value
        return response
    }
}
