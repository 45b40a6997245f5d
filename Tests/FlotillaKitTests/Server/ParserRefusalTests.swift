import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// What the HTTP parser refuses is answered in the error envelope with a request id, with the
/// status that says why, and the connection closes.
@Suite("HTTP parser refusals in the error envelope")
struct ParserRefusalTests {
    struct Answer {
        let status: Int
        let headers: [String: String]
        let envelope: ErrorEnvelope?
        /// Everything the server sent.
        let raw: String
    }

    /// Send `request` raw to a live kit application and read its whole answer.
    func exchange(_ request: [UInt8]) async throws -> Answer {
        let app = KitTestApplication(configure: { _ in }) { router in
            router.get("/items") { _, _ in "items" }
        }
        return try await app.application.test(.live) { client in
            let connection = try RawHTTPConnection(port: try #require(client.port))
            try await connection.send(request)
            let text = try await connection.readUntilClosed()
            let parts = text.components(separatedBy: "\r\n\r\n")
            let lines = parts[0].components(separatedBy: "\r\n")
            let status = Int(lines[0].split(separator: " ")[1]) ?? 0
            var headers = [String: String]()
            for line in lines.dropFirst() {
                let pair = line.split(separator: ":", maxSplits: 1)
                if pair.count == 2 { headers[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
            let body = parts.dropFirst().joined(separator: "\r\n\r\n")
            return Answer(status: status, headers: headers, envelope: try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(body.utf8)), raw: text)
        }
    }

    func expectEnvelope(_ answer: Answer, status: Int, error: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == status, sourceLocation: sourceLocation)
        #expect(answer.envelope?.error == error, sourceLocation: sourceLocation)
        #expect(answer.envelope?.message.isEmpty == false, sourceLocation: sourceLocation)
        #expect(answer.envelope?.requestID != nil && answer.envelope?.requestID == answer.headers["x-request-id"], sourceLocation: sourceLocation)
        #expect(answer.headers["content-type"] == "application/json; charset=utf-8", sourceLocation: sourceLocation)
        #expect(answer.headers["connection"] == "close", sourceLocation: sourceLocation)
    }

    @Test func oversizedHeadersAre431() async throws {
        let request = "GET /items HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n"
        expectEnvelope(try await exchange(Array(request.utf8)), status: 431, error: "request_header_fields_too_large")
    }

    @Test func anOverlongTargetIs414() async throws {
        let query = (0..<10_000).map { "parameter\($0)=value" }.joined(separator: "&")
        let request = "GET /items?\(query) HTTP/1.1\r\nHost: x\r\n\r\n"
        expectEnvelope(try await exchange(Array(request.utf8)), status: 414, error: "uri_too_long")
    }

    @Test func anUnknownMethodIs501() async throws {
        expectEnvelope(try await exchange(Array("FROB /items HTTP/1.1\r\nHost: x\r\n\r\n".utf8)), status: 501, error: "method_not_implemented")
    }

    @Test func rawNULAndNonASCIIBytesInTheTargetAre400() async throws {
        for target: [UInt8] in [Array("/it".utf8) + [0] + Array("ems".utf8), Array("/caf".utf8) + [0xC3, 0xA9], Array("/a b/c".utf8)] {
            let request = Array("GET ".utf8) + target + Array(" HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let answer = try await exchange(request)
            #expect(answer.status == 400, "\(target)")
            #expect(answer.envelope?.error != nil, "\(target)")
            #expect(answer.envelope?.requestID == answer.headers["x-request-id"])
        }
    }

    @Test func aWellFormedRequestIsStillServed() async throws {
        let answer = try await exchange(Array("GET /items HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8))
        #expect(answer.status == 200)
        #expect(answer.envelope == nil)
    }

    @Test func aRequestThatAsksToCloseIsToldTheConnectionCloses() async throws {
        let answer = try await exchange(Array("GET /items HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n".utf8))
        #expect(answer.status == 200)
        #expect(answer.headers["connection"]?.lowercased() == "close", "so the client does not reuse a connection the server is closing")
    }

    @Test func bytesAfterARequestThatClosedTheConnectionGetNoAnswer() async throws {
        // Two requests in one write, the first asking to close: only the first is answered.
        let request = "GET /items HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\nGET /items HTTP/1.1\r\nHost: demo\r\n\r\n"
        let answer = try await exchange(Array(request.utf8))
        #expect(answer.status == 200)
        #expect(answer.raw.components(separatedBy: "HTTP/1.1 ").count == 2, "one response only: \(answer.raw)")
        #expect(!answer.raw.contains("malformed_request"), "no error envelope for the bytes after the closing request")
    }
}
