import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A kit-based upstream that records every request it gets and answers by path:
/// `/slow/{ms}` waits, `/status/{code}` answers that status, `/cache-control/{value}` and
/// `/vary/{value}` send those headers, `/no-store` and `/private`
/// set those `Cache-Control`s, `/framed` sends its own `X-Frame-Options` and a versioned
/// `Server`, `/openapi.json` and `/events.json` serve small documents; anything else
/// echoes the request as JSON with `X-Upstream: echo`.
final class RecordingUpstream: Sendable {
    struct Seen: Sendable {
        let method: String
        let path: String
        let query: String?
        let headers: HTTPFields
        let body: String
    }

    private let seen = Mutex<[Seen]>([])
    private let counter = Atomic<Int>(0)

    var requests: [Seen] { seen.withLock { $0 } }
    func reset() { seen.withLock { $0.removeAll() } }

    var application: KitTestApplication {
        KitTestApplication(routes: { router in
            router.get("/openapi.json") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: Self.document)))
            }
            router.addEventCatalogue(Self.events)
            router.add(middleware: Recorder(upstream: self))
        })
    }

    static let document = ##"{"openapi":"3.1.0","info":{"title":"echo","version":"1"},"paths":{"/things/{id}":{"get":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],"responses":{"200":{"description":"a thing","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}}}}}},"components":{"schemas":{"Thing":{"type":"object"}}}}"##

    static let events = #"{"service":"echo","publishes":{"thing.made":{"version":1,"data":{"type":"object"}}},"consumes":{}}"#

    /// Answers every request no route took (the kit's ops routes and the document excepted).
    struct Recorder: RouterMiddleware {
        typealias Context = FlotillaRequestContext
        let upstream: RecordingUpstream

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            let body = try await request.body.collect(upTo: 1 << 20)
            let path = request.uri.path
            upstream.seen.withLock {
                $0.append(Seen(method: request.method.rawValue, path: path, query: request.uri.query, headers: request.headers, body: String(buffer: body)))
            }
            let count = upstream.counter.add(1, ordering: .relaxed).newValue
            var headers: HTTPFields = [.contentType: "application/json", HTTPField.Name("X-Upstream")!: "echo", HTTPField.Name("X-Count")!: String(count)]
            var status = HTTPResponse.Status.ok
            if path.hasPrefix("/slow/"), let ms = Int(path.dropFirst(6)) {
                try await Task.sleep(for: .milliseconds(ms))
            } else if path.hasPrefix("/status/"), let code = Int(path.dropFirst(8)) {
                status = HTTPResponse.Status(code: code)
            } else if path == "/no-store" {
                headers[.cacheControl] = "no-store"
            } else if path == "/private" {
                headers[.cacheControl] = "private, max-age=60"
            } else if path.hasPrefix("/cache-control/"), let value = path.dropFirst(15).removingPercentEncoding {
                headers[.cacheControl] = value
            } else if path.hasPrefix("/vary/"), let value = path.dropFirst(6).removingPercentEncoding {
                headers[.vary] = value
            } else if path == "/framed" {
                headers[HTTPField.Name("X-Frame-Options")!] = "SAMEORIGIN"
                headers[.server] = "echo/9.9.9"
            } else if path == "/hop" {
                headers[.connection] = "X-Hop-Response"
                headers[HTTPField.Name("X-Hop-Response")!] = "should not pass"
                headers.append(HTTPField(name: .setCookie, value: "a=1"))
                headers.append(HTTPField(name: .setCookie, value: "b=2"))
            }
            let json = #"{"method":"\#(request.method.rawValue)","path":"\#(path)","count":\#(count)}"#
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
