#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// The error-envelope answer to a request the HTTP parser refused.
struct ParserRefusal {
    let error: APIError

    /// - Parameter requestLineComplete: whether the request line had arrived, which tells an
    ///   overlong target (414) from oversized header fields (431) when the parser overflows.
    init(_ parserError: HTTPParserError, requestLineComplete: Bool) {
        switch parserError {
        case .headerOverflow where requestLineComplete:
            error = APIError(
                .requestHeaderFieldsTooLarge, code: "request_header_fields_too_large",
                message: "The request's header fields are too large; send fewer or smaller headers.")
        case .headerOverflow:
            error = APIError(.uriTooLong, code: "uri_too_long", message: "The request target (URL) is too long; send fewer or shorter query parameters.")
        case .invalidMethod:
            error = APIError(
                .notImplemented, code: "method_not_implemented",
                message: "The request method is not one this server implements; use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.")
        case .invalidURL:
            error = APIError(
                .badRequest, code: "invalid_request_target",
                message: "The request target (URL) is malformed: NUL, spaces, control and non-ASCII bytes must be percent-encoded.")
        case .invalidVersion:
            error = APIError(.httpVersionNotSupported, code: "http_version_not_supported", message: "Only HTTP/1.0 and HTTP/1.1 are served on this port.")
        default:
            error = APIError(.badRequest, code: "malformed_request", message: "The request is not valid HTTP/1.1 (\(parserError)).")
        }
    }

    /// Head and body of the answer; the caller writes `.end` and closes the connection.
    func responseParts(requestID: String) -> [HTTPResponsePart] {
        let envelope = ErrorEnvelope(error: error.code, message: error.message, details: error.details, requestID: requestID)
        let body = (try? JSONResponse.makeEncoder().encode(envelope)).map { ByteBuffer(bytes: $0) } ?? ByteBuffer()
        var fields = HTTPFields()
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.contentLength] = String(body.readableBytes)
        fields[.connection] = "close"
        fields[.requestID] = requestID
        return [.head(HTTPResponse(status: error.status, headerFields: fields)), .body(body)]
    }
}
