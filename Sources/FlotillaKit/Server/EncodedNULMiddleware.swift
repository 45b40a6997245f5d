public import Hummingbird

/// Refuses a request whose path or query holds a percent-encoded NUL (`%00`) with a 400
/// naming the parameter: PostgreSQL cannot store the character, and a C string would end
/// at it, so `customerId=cust_001%00zzzz` must never reach a query as `cust_001`.
/// (A raw NUL byte in the target is refused by the HTTP parser; JSON bodies are checked by
/// `Request.decodeJSON`.)
public struct EncodedNULMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let target = request.head.path ?? ""
        if Self.containsEncodedNUL(target.utf8[...]) { throw Self.refusal(request) }
        return try await next(request, context)
    }

    static func containsEncodedNUL(_ text: Substring.UTF8View) -> Bool {
        var iterator = text.makeIterator()
        var state = 0  // bytes of "%00" matched so far
        while let byte = iterator.next() {
            switch (state, byte) {
            case (_, UInt8(ascii: "%")): state = 1
            case (1, UInt8(ascii: "0")), (2, UInt8(ascii: "0")): state += 1
            default: state = 0
            }
            if state == 3 { return true }
        }
        return false
    }

    /// The 400 for `request`, naming the first query parameter whose name or value holds
    /// `%00` (the name as the client wrote it, still percent-encoded).
    static func refusal(_ request: Request) -> APIError {
        let target = request.head.path ?? ""
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        if containsEncodedNUL(parts[0].utf8) {
            return APIError(.badRequest, code: "invalid_path", message: "The request path contains an encoded NUL character (%00); remove it.")
        }
        let problem = "contains an encoded NUL character (%00)"
        let query = parts.count > 1 ? parts[1] : ""
        guard let pair = query.split(separator: "&").first(where: { containsEncodedNUL($0.utf8) }) else {
            return APIError(.badRequest, code: "invalid_query", message: "The query \(problem); remove it.")
        }
        let name = String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0].prefix(100))
        return APIError(
            .badRequest, code: "invalid_query", message: "Invalid query parameter: \(name) \(problem); remove it.",
            details: ["problems": .object([name: .string(problem)])])
    }
}
