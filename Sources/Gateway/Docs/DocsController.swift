import FlotillaKit
import Hummingbird
import Logging
import NIOCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /api/openapi.json` (the merged document), `GET /api/events.json` (every service's
/// event catalogue, by service) and `GET /api/docs` (a page rendering the API, linking the
/// event catalogue).
struct DocsController: Sendable {
    let routes: [GatewayRoute]
    let upstreams: [String: Upstream]
    let version: String
    let logger: Logger

    func addRoutes(to router: Router<FlotillaRequestContext>) {
        router.get("/api/openapi.json") { _, _ in
            JSONResponse.make(await merged())
        }
        router.get("/api/events.json") { _, _ in
            let catalogues = await collect("/events.json")
            return JSONResponse.make(JSONValue.object([
                "envelope": .string("README.md, Events: id, type, version, occurred_at, source, aggregate {type, id}, actor, data, traceparent, request_id"),
                "services": .object(catalogues.documents),
            ]))
        }
        router.get("/api/docs") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: Self.page)))
        }
        router.addOpenAPIDocument(EmbeddedOpenAPI.json)
    }

    /// Every routed upstream's `/openapi.json`, fetched at once; unreachable ones are skipped.
    func merged() async -> JSONValue {
        let (documents, skipped) = await collect("/openapi.json")
        if !skipped.isEmpty {
            logger.warning("OpenAPI documents skipped: upstreams unreachable", metadata: ["upstreams": "\(skipped.sorted())"])
        }
        return OpenAPIMerger.merge(documents: documents, routes: routes, skipped: skipped, version: version)
    }

    /// The JSON document at `path` of every routed upstream, fetched at once, by upstream;
    /// those that do not answer 200 with JSON (unreachable, or without one) are `skipped`.
    func collect(_ path: String) async -> (documents: [String: JSONValue], skipped: [String]) {
        var documents = [String: JSONValue]()
        var skipped = [String]()
        await withTaskGroup(of: (String, JSONValue?).self) { group in
            for name in Set(routes.map(\.upstream)).sorted() {
                guard let upstream = upstreams[name] else { continue }
                group.addTask {
                    do {
                        let response = try await upstream.execute("GET", path, timeout: .seconds(2))
                        guard response.status == 200 else { return (name, nil) }
                        return (name, try JSONDecoder().decode(JSONValue.self, from: Data(response.body)))
                    } catch {
                        return (name, nil)
                    }
                }
            }
            for await (name, document) in group {
                if let document { documents[name] = document } else { skipped.append(name) }
            }
        }
        return (documents, skipped)
    }

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
          <head>
            <meta charset="utf-8">
            <title>Flotilla API</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
          </head>
          <body>
            <p style="font-family: sans-serif; margin: 1em 2em">
              Events: every service's event catalogue (types, versions, JSON Schemas) is at
              <a href="/api/events.json">/api/events.json</a>.
            </p>
            <redoc spec-url="/api/openapi.json"></redoc>
            <script src="https://cdn.jsdelivr.net/npm/redoc@2.1.5/bundles/redoc.standalone.js"></script>
          </body>
        </html>
        """
}
