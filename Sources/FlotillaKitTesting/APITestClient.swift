import FlotillaKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// JSON calls against an application under `application.test(.live)`: a bearer token,
/// a JSON body, and the answer with its body parsed. One helper for every service's tests.
public struct APITestClient: Sendable {
    public let client: any TestClientProtocol

    public init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// A response: status, headers, and the body as text and as JSON.
    public struct Reply: Sendable {
        public let status: HTTPResponse.Status
        public let headers: HTTPFields
        public let body: String

        /// The body as a JSON object (empty when it is not one).
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
        }

        /// The error envelope's `error` code.
        public var errorCode: String? { json["error"] as? String }

        /// The bad fields a `validation_failed` answer names: `details.fields` (several) or
        /// `details.field` (one).
        public var invalidFields: Set<String> {
            let details = json["details"] as? [String: Any]
            var names = Set((details?["fields"] as? [String: Any])?.keys.map { $0 } ?? [])
            if let one = details?["field"] as? String { names.insert(one) }
            return names
        }
    }

    public func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }
}
