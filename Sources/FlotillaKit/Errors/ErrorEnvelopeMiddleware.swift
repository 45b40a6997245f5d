import HTTPTypes
public import Hummingbird
import Logging

/// Turns every error thrown below it into a response with the standard ``ErrorEnvelope``.
///
/// ``APIError``s are answered as they are, ``APIErrorConvertible`` errors as they say; Hummingbird's `HTTPError`s (unknown route,
/// oversized body, ...) get a code derived from their status; anything else is a 500 that
/// reveals nothing and is logged in full.
public struct ErrorEnvelopeMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return Self.render(error, request: request, context: context)
        }
    }

    /// The enveloped response for `error`, logging server errors in full. For middleware
    /// that must decorate error responses too (security headers, CORS) and so cannot let
    /// errors pass through it.
    public static func render(_ error: any Error, request: Request, context: Context) -> Response {
        let apiError = apiError(for: error, request: request, context: context)
        if apiError.status.kind == .serverError {
            context.logger.error(
                "request failed",
                metadata: ["error.type": "\(type(of: error))", "error.description": "\(String(reflecting: error))"]
            )
        }
        return response(for: apiError, requestID: context.correlation.requestID)
    }

    /// The ``APIError`` an arbitrary thrown error is answered with.
    static func apiError(for error: any Error, request: Request, context: Context) -> APIError {
        switch error {
        case let apiError as APIError:
            return apiError
        case let convertible as any APIErrorConvertible:
            return convertible.apiError
        case let httpError as HTTPError:
            return apiError(for: httpError, request: request, context: context)
        case let responseError as any HTTPResponseError where responseError.status == .contentTooLarge:
            // NIOTooManyBytesError from collecting a body past the limit.
            return .payloadTooLarge(limit: context.maxUploadSize)
        default:
            return .internalError
        }
    }

    private static func apiError(for error: HTTPError, request: Request, context: Context) -> APIError {
        switch error.status {
        case .notFound where error.body == nil:
            return APIError(
                .notFound, code: "not_found",
                message: "No route matches \(request.method.rawValue) \(request.uri.path).",
                headers: error.headers
            )
        case .contentTooLarge:
            return .payloadTooLarge(limit: context.maxUploadSize)
        default:
            let status = error.status
            let message = error.body ?? (status.kind == .serverError ? APIError.internalError.message : "\(status.reasonPhrase).")
            return APIError(status, code: code(for: status), message: message, headers: error.headers)
        }
    }

    /// A `snake_case` code for a status without a more specific one.
    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "bad_request"
        case 500: "internal_error"
        default: status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "_")
        }
    }

    /// Encode `error` as a JSON response.
    public static func response(for error: APIError, requestID: String) -> Response {
        let envelope = ErrorEnvelope(error: error.code, message: error.message, details: error.details, requestID: requestID)
        var response = JSONResponse.make(envelope, status: error.status)
        response.headers.append(contentsOf: error.headers)
        return response
    }
}
