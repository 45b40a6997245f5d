public import Hummingbird
import NIOCore

extension Router where Context == FlotillaRequestContext {
    /// Serve a service's OpenAPI document (its `openapi.yaml`, embedded as JSON by the
    /// EmbedResources plugin) at `GET /openapi.json`, where the gateway collects it.
    public func addOpenAPIDocument(_ json: String) {
        get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }

    /// Serve a service's event catalogue (its `events.yaml`, embedded as JSON) at
    /// `GET /events.json`, where the gateway collects it.
    public func addEventCatalogue(_ json: String) {
        get("/events.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: json)))
        }
    }
}
