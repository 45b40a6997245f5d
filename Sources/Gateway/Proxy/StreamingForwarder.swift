import FlotillaKit
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Forwards a streamed route (``GatewayRoute/stream``, the files routes): the client's body
/// flows to the upstream and the upstream's back as each arrives, through bounded buffers
/// (the kit's ``FlotillaHTTPClient/stream(_:body:length:connectTimeout:idleTimeout:)``), so a
/// 200 MB upload or download costs the gateway a few hundred kilobytes. Nothing is retried or
/// cached; a body over the route's limit is 413, a client that stops sending for the route's
/// `timeout_ms` gets 408 and the upstream call is abandoned.
struct StreamingForwarder {
    let proxy: GatewayProxy

    func forward(_ request: Request, route: GatewayRoute, limit: GatewayRateLimiter.Outcome?, context: FlotillaRequestContext) async throws -> Response {
        guard let upstream = proxy.upstreams[route.upstream] else { throw APIError.internalError }
        let maximum = proxy.bodyLimits.streamed
        let length = request.headers[.contentLength].flatMap { Int64($0) }
        if let length, length > maximum { throw APIError.payloadTooLarge(limit: maximum) }
        let hasBody = length.map { $0 > 0 } ?? (request.headers[.transferEncoding] != nil)
        let target = route.upstreamPath(for: Substring(request.uri.path)) + (request.uri.query.map { "?\($0)" } ?? "")
        let response: HTTPClientStreamingResponse
        do {
            response = try await upstream.stream(
                request.method.rawValue, target, headers: proxy.upstreamHeaders(request, context: context),
                body: hasBody ? LimitedBody(base: request.body, limit: maximum) : nil, length: length, idleTimeout: route.timeout)
        } catch let error as HTTPClientError where error.kind == .bodyStalled {
            throw APIError(.requestTimeout, code: "request_timeout", message: "The request body stopped arriving for \(route.timeout); send it again.")
        } catch let error as HTTPClientError {
            context.logger.warning("upstream stream failed", metadata: ["upstream": "\(route.upstream)", "error.description": "\(error)"])
            throw UpstreamFailure.apiError(for: error, upstream: route.upstream)
        }
        var headers = ForwardedHeaders.clientResponseHeaders(response.headers)
        if let limit { headers.append(contentsOf: limit.headers) }
        let eventLoop = context.eventLoop
        let body = ResponseBody(contentLength: response.header("Content-Length").flatMap(Int.init)) { writer in
            do {
                try await writer.write(paced: response.body, on: eventLoop)
                try await writer.finish(nil)
            } catch {
                // The client went away, or the upstream did: stop the other side too.
                response.cancel()
                throw error
            }
        }
        return Response(status: HTTPResponse.Status(code: response.status), headers: headers, body: body)
    }
}

/// A request body that fails once more than `limit` bytes arrive (a client without a
/// `Content-Length` cannot get past the route's limit).
struct LimitedBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer
    let base: Base
    let limit: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), limit: limit)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let chunk = try await base.next() else { return nil }
            seen += chunk.readableBytes
            if seen > limit { throw APIError.payloadTooLarge(limit: limit) }
            return chunk
        }
    }
}
