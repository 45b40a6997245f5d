import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// A NUL anywhere in a request's text is a 400 naming the field or parameter, and nothing is
/// ever stored cut short at it.
@Suite("NUL characters in request text")
struct NULInputTests {
    struct Note: Decodable {
        let text: String
        let metadata: [String: String]?
    }

    static func app() -> KitTestApplication {
        KitTestApplication(configure: { _ in }) { router in
            router.post("/notes") { request, context -> String in
                let note = try await request.decodeJSON(as: Note.self, context: context)
                return note.text
            }
            router.get("/orders") { request, _ -> String in
                QueryReader(request).raw("customerId") ?? "all"
            }
            router.get("/orders/{id}") { _, context -> String in
                try context.parameters.require("id")
            }
        }
    }

    func envelope(_ response: TestResponse) throws -> ErrorEnvelope {
        let envelope = try JSONDecoder().decode(ErrorEnvelope.self, from: Data(response.body.readableBytesView))
        #expect(envelope.requestID == response.headers[.requestID])
        return envelope
    }

    @Test(arguments: [TestingSetup.router, .live])
    func aNULInAJSONStringIsRefusedNamingTheField(_ setup: TestingSetup) async throws {
        try await Self.app().application.test(setup) { client in
            let cases = [
                (#"{"text":"ab\u0000cd"}"#, "text"),
                (#"{"text":"ok","metadata":{"strap":"bl\u0000ue"}}"#, "metadata.strap"),
            ]
            for (body, field) in cases {
                try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { response in
                    #expect(response.status == .badRequest, "\(body)")
                    let envelope = try envelope(response)
                    #expect(envelope.error == "validation_failed")
                    #expect(envelope.details?["field"] == .string(field))
                    #expect(envelope.message.contains("NUL"))
                }
            }
            // A backslash followed by u0000 is ordinary text.
            try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"text":"\\u0000"}"#)) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"\u0000"#)
            }
        }
    }

    @Test func aKeyGivenTwiceIsRefused() async throws {
        try await Self.app().application.test(.router) { client in
            try await client.execute(uri: "/notes", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: #"{"text":"a","text":"b"}"#)) { response in
                #expect(response.status == .badRequest)
                let envelope = try envelope(response)
                #expect(envelope.error == "invalid_json")
                #expect(envelope.details?["field"] == "text")
                #expect(envelope.message.contains("more than once"))
            }
        }
    }

    @Test(arguments: [TestingSetup.router, .live])
    func anEncodedNULInTheQueryOrPathIsRefusedNamingIt(_ setup: TestingSetup) async throws {
        try await Self.app().application.test(setup) { client in
            try await client.execute(uri: "/orders?limit=2&customerId=cust_001%00zzzz", method: .get) { response in
                #expect(response.status == .badRequest)
                let envelope = try envelope(response)
                #expect(envelope.error == "invalid_query")
                #expect(envelope.details?["problems"]?["customerId"] != nil, "\(envelope)")
            }
            try await client.execute(uri: "/orders?bad%00name=1", method: .get) { response in
                #expect(response.status == .badRequest)
                let envelope = try envelope(response)
                #expect(envelope.message.contains("bad%00name"))
            }
            try await client.execute(uri: "/orders/ord%00_1", method: .get) { response in
                #expect(response.status == .badRequest)
                let envelope = try envelope(response)
                #expect(envelope.error == "invalid_path")
            }
            // %000 is still a NUL followed by 0; %100 and %2500 are not NULs.
            try await client.execute(uri: "/orders?customerId=%000", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/orders?customerId=a%2500b", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "a%00b")
            }
        }
    }

    @Test func aTextParameterWithANULNeverReachesPostgreSQLCutShort() async throws {
        let pool = try TestDatabase.makePool()
        defer { Task { await pool.close() } }
        let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT $1::text AS t", ["ab\u{0}cd"]) }
        #expect(error?.kind == .nulInParameter)
        #expect(error?.apiError.status == .badRequest)
        #expect(error?.apiError.code == "validation_failed")
        #expect(try await pool.query("SELECT $1::text AS t", ["abcd"]).rows[0].decode("t", as: String.self) == "abcd")
    }
}
