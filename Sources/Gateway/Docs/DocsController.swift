import FlotillaKit
import Hummingbird
import Logging
import NIOCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /api/openapi.json` (the merged document) and `GET /api/docs` (a page rendering it).
struct DocsController: Sendable {
    let routes: [GatewayRoute]
    let upstreams: [String: Upstream]
    let version: String
    let logger: Logger

    func addRoutes(to router: Router<FlotillaRequestContext>) {
        router.get("/api/openapi.json") { _, _ in
            JSONResponse.make(await merged())
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
        let names = Set(routes.map(\.upstream)).sorted()
        var documents = [String: JSONValue]()
        var skipped = [String]()
        await withTaskGroup(of: (String, JSONValue?).self) { group in
            for name in names {
                guard let upstream = upstreams[name] else { continue }
                group.addTask {
                    do {
                        let response = try await upstream.execute("GET", "/openapi.json", timeout: .seconds(2))
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
        if !skipped.isEmpty {
            logger.warning("OpenAPI documents skipped: upstreams unreachable", metadata: ["upstreams": "\(skipped.sorted())"])
        }
        return OpenAPIMerger.merge(documents: documents, routes: routes, skipped: skipped, version: version)
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
            <redoc spec-url="/api/openapi.json"></redoc>
            <script src="https://cdn.jsdelivr.net/npm/redoc@2.1.5/bundles/redoc.standalone.js"></script>
          </body>
        </html>
        """
}
