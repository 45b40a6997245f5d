public import HTTPTypes

/// An error a handler throws to answer with a specific status and the standard envelope:
/// `{"error": code, "message": message, "details": details, "request_id": ...}`.
public struct APIError: Error, Sendable, Equatable {
    /// HTTP status of the response.
    public var status: HTTPResponse.Status
    /// Stable, machine-readable `snake_case` code.
    public var code: String
    /// A sentence a person can act on.
    public var message: String
    /// Structured specifics, e.g. the offending field.
    public var details: [String: JSONValue]?
    /// Extra response headers, e.g. `Allow` or `Retry-After`.
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status,
        code: String,
        message: String,
        details: [String: JSONValue]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }
}

extension APIError {
    /// 400 `validation_failed` for one field.
    public static func invalidField(_ field: String, _ message: String, details: [String: JSONValue] = [:]) -> APIError {
        var details = details
        details["field"] = .string(field)
        return APIError(.badRequest, code: "validation_failed", message: message, details: details)
    }

    /// 400 `validation_failed` naming every bad field at once (`details.fields`: field →
    /// problem), e.g. "name must be 1 to 100 characters; target is required.".
    public static func invalidFields(_ problems: [String: String]) -> APIError {
        let names = problems.keys.sorted()
        return APIError(
            .badRequest, code: "validation_failed",
            message: names.map { "\($0) \(problems[$0]!)" }.joined(separator: "; ") + ".",
            details: ["fields": .object(problems.mapValues { .string($0) })])
    }

    /// 404 `not_found` for a resource.
    public static func notFound(_ message: String) -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    /// 405 `method_not_allowed` with an `Allow` header.
    public static func methodNotAllowed(_ method: HTTPRequest.Method, path: String, allowed: [HTTPRequest.Method]) -> APIError {
        let allowList = allowed.map(\.rawValue).joined(separator: ", ")
        var headers = HTTPFields()
        headers[.allow] = allowList
        return APIError(
            .methodNotAllowed,
            code: "method_not_allowed",
            message: "\(method.rawValue) is not allowed on \(path); use \(allowList).",
            details: ["allowed": .array(allowed.map { .string($0.rawValue) })],
            headers: headers
        )
    }

    /// 413 `payload_too_large`.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(
            .contentTooLarge,
            code: "payload_too_large",
            message: "The request body is larger than the limit of \(limit) bytes.",
            details: ["limit_bytes": .int(limit)]
        )
    }

    /// 500 `internal_error`, which never says more than this.
    public static let internalError = APIError(
        .internalServerError,
        code: "internal_error",
        message: "An unexpected error occurred. Quote the request_id when reporting it."
    )
}
