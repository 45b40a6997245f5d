import FlotillaKit
import HTTPTypes
import Hummingbird

/// Refuses requests whose URL or headers are larger than configured, before any work
/// (the body limit is the kit's `MAX_BODY_BYTES`).
struct RequestLimitsMiddleware: RouterMiddleware {
    typealias Context = FlotillaRequestContext
    let maxURLBytes: Int
    let maxHeaderBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let urlBytes = request.uri.description.utf8.count
        guard urlBytes <= maxURLBytes else {
            throw APIError(
                .uriTooLong, code: "uri_too_long", message: "The URL is \(urlBytes) bytes; the limit is \(maxURLBytes).",
                details: ["limit_bytes": .int(maxURLBytes)])
        }
        let headerBytes = request.headers.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
        guard headerBytes <= maxHeaderBytes else {
            throw APIError(
                .requestHeaderFieldsTooLarge, code: "headers_too_large",
                message: "The request headers are \(headerBytes) bytes; the limit is \(maxHeaderBytes).",
                details: ["limit_bytes": .int(maxHeaderBytes)])
        }
        return try await next(request, context)
    }
}
