import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Error envelope")
struct ErrorEnvelopeTests {
    struct NewItem: Decodable {
        let name: String
        let quantity: Int
        let tags: [String]?
    }

    struct LeakyError: Error, CustomStringConvertible {
        var description: String { "password=s3cr3t for postgres://admin@db" }
    }

    static func app(maxBodyBytes: Int = 1 << 20) -> KitTestApplication {
        KitTestApplication(configure: { $0.maxBodyBytes = maxBodyBytes }) { router in
            router.post("/items") { request, context -> String in
                let item = try await request.decodeJSON(as: NewItem.self, context: context)
                return "\(item.name) x\(item.quantity)"
            }
            router.get("/items/{id}") { _, context -> String in
                throw APIError(.conflict, code: "item_locked", message: "Item 7 is locked.", details: ["id": "7"])
            }
            router.get("/explode") { _, _ -> String in throw LeakyError() }
            router.put("/optional") { request, context -> String in
                let item = try await request.decodeJSONIfPresent(as: NewItem.self, context: context)
                return item.map { "\($0.name) x\($0.quantity)" } ?? "no body"
            }
        }
    }

    func envelope(_ response: TestResponse) throws -> ErrorEnvelope {
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
        let envelope = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(response.body.readableBytesView))
        #expect(envelope.requestID == response.headers[.requestID])
        return envelope
    }

    func post(_ body: String, headers: HTTPFields = [.contentType: "application/json"], app: KitTestApplication = app()) async throws -> (HTTPResponse.Status, ErrorEnvelope?) {
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/items", method: .post, headers: headers, body: ByteBuffer(string: body)) { response in
                (response.status, response.status == .ok ? nil : try envelope(response))
            }
        }
    }

    @Test func anOptionalBodyMayBeLeftOutButNotMalformed() async throws {
        try await Self.app().application.test(.router) { client in
            let cases: [(String, HTTPFields, HTTPResponse.Status, String)] = [
                ("", [:], .ok, "no body"),
                (#"{"name":"watch","quantity":2}"#, [.contentType: "application/json"], .ok, "watch x2"),
                ("{", [.contentType: "application/json"], .badRequest, "invalid_json"),
                (#"{"name":"watch"}"#, [.contentType: "application/json"], .badRequest, "validation_failed"),
                ("name=watch", [.contentType: "text/plain"], .unsupportedMediaType, "unsupported_media_type"),
            ]
            for (body, headers, status, expected) in cases {
                try await client.execute(uri: "/optional", method: .put, headers: headers, body: ByteBuffer(string: body)) { response in
                    #expect(response.status == status, "\(body)")
                    let text = String(buffer: response.body)
                    #expect(text.contains(expected), "\(body): \(text)")
                }
            }
        }
    }

    @Test func validBodyIsAccepted() async throws {
        let (status, error) = try await post(#"{"name":"watch","quantity":2}"#)
        #expect(status == .ok)
        #expect(error == nil)
    }

    @Test(arguments: [TestingSetup.router, .live])
    func unknownRouteIs404(_ setup: TestingSetup) async throws {
        try await Self.app().application.test(setup) { client in
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                let envelope = try envelope(response)
                #expect(envelope.error == "not_found")
                #expect(envelope.message == "No route matches GET /nowhere.")
            }
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func wrongMethodIs405WithAllow(_ setup: TestingSetup) async throws {
        try await Self.app().application.test(setup) { client in
            try await client.execute(uri: "/items", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                let envelope = try envelope(response)
                #expect(envelope.error == "method_not_allowed")
                #expect(envelope.details?["allowed"] == ["POST"])
            }
            try await client.execute(uri: "/items/3", method: .put) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
            }
        }
    }

    @Test func malformedJSONIs400() async throws {
        let (status, error) = try await post(#"{"name": "watch", "quantity": "#)
        #expect(status == .badRequest)
        #expect(error?.error == "invalid_json")
        #expect(error?.message == "The request body is not valid JSON.")
    }

    @Test func emptyBodyIs400() async throws {
        let (status, error) = try await post("")
        #expect(status == .badRequest)
        #expect(error?.error == "invalid_json")
        #expect(error?.message.contains("empty") == true)
    }

    @Test func missingFieldNamesTheField() async throws {
        let (status, error) = try await post(#"{"name":"watch"}"#)
        #expect(status == .badRequest)
        #expect(error?.error == "validation_failed")
        #expect(error?.details?["field"] == "quantity")
        #expect(error?.message == "The field 'quantity' is required.")
    }

    @Test func wrongTypeNamesTheFieldAndType() async throws {
        let (status, error) = try await post(#"{"name":"watch","quantity":"two"}"#)
        #expect(status == .badRequest)
        #expect(error?.details?["field"] == "quantity")
        #expect(error?.message == "The field 'quantity' must be an integer.")
        let (_, nested) = try await post(#"{"name":"watch","quantity":1,"tags":["a",2]}"#)
        #expect(nested?.details?["field"] == "tags[1]")
    }

    @Test func nullFieldIsRejected() async throws {
        let (_, error) = try await post(#"{"name":null,"quantity":1}"#)
        #expect(error?.message == "The field 'name' must not be null.")
    }

    @Test func nonObjectBodyIsRejected() async throws {
        let (status, error) = try await post("[1,2]")
        #expect(status == .badRequest)
        #expect(error?.error == "invalid_json")
    }

    @Test func wrongContentTypeIs415() async throws {
        let (status, error) = try await post("name=watch", headers: [.contentType: "application/x-www-form-urlencoded"])
        #expect(status == .unsupportedMediaType)
        #expect(error?.error == "unsupported_media_type")
    }

    @Test func declaredOversizedBodyIs413() async throws {
        let body = #"{"name":""# + String(repeating: "x", count: 3000) + #"","quantity":1}"#
        let (status, error) = try await post(body, app: Self.app(maxBodyBytes: 2048))
        #expect(status == .contentTooLarge)
        #expect(error?.error == "payload_too_large")
        #expect(error?.details?["limit_bytes"] == 2048)
    }

    @Test func streamedOversizedBodyIs413() async throws {
        let app = Self.app(maxBodyBytes: 2048)
        try await app.application.test(.live) { client in
            let port = try #require(client.port)
            // Chunked, so no Content-Length announces the size up front.
            let chunk = String(repeating: "x", count: 1024)
            let reply = try await HTTPTestClient.send(
                "POST", "http://127.0.0.1:\(port)/items", headers: [("Content-Type", "application/json")],
                streamedBody: [#"{"name":""#, chunk, chunk, chunk, #"","quantity":1}"#]
            )
            #expect(reply.status == 413)
            #expect(reply.body.contains(#""error":"payload_too_large""#))
        }
    }

    @Test func thrownAPIErrorKeepsItsStatusCodeAndDetails() async throws {
        try await Self.app().application.test(.router) { client in
            try await client.execute(uri: "/items/7", method: .get) { response in
                #expect(response.status == .conflict)
                let envelope = try envelope(response)
                #expect(envelope.error == "item_locked")
                #expect(envelope.details?["id"] == "7")
            }
        }
    }

    @Test func unexpectedErrorIs500AndLeaksNothing() async throws {
        let app = Self.app()
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/explode", method: .get, headers: [.requestID: "boom-1"]) { response in
                #expect(response.status == .internalServerError)
                let body = String(buffer: response.body)
                #expect(!body.contains("s3cr3t"))
                #expect(!body.contains("postgres"))
                #expect(!body.contains("LeakyError"))
                let envelope = try envelope(response)
                #expect(envelope.error == "internal_error")
                #expect(envelope.requestID == "boom-1")
            }
        }
        let logged = try app.logs.records(withMessage: "request failed")
        #expect(logged.count == 1)
        #expect(logged.first?["level"] == "error")
        #expect(logged.first?["request_id"] == "boom-1")
        #expect(logged.first?["error.type"] == "LeakyError")
    }
}
