public import Hummingbird

/// Enforces `MAX_BODY_BYTES`: a declared `Content-Length` over the limit is refused with
/// 413 before the body is read, and body collection stops at the limit otherwise.
public struct BodyLimitMiddleware: RouterMiddleware {
    public typealias Context = FlotillaRequestContext

    /// Largest accepted body in bytes.
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw APIError.payloadTooLarge(limit: limit)
        }
        var context = context
        context.maxUploadSize = limit
        return try await next(request, context)
    }
}
