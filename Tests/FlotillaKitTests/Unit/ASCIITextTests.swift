import Testing

@testable import FlotillaKit

@Suite("ASCII text helpers, random identifiers, curl header lines")
struct ASCIITextTests {
    @Test(arguments: [
        ("  hello \r\n", "hello"), ("\thello", "hello"), ("hello", "hello"), ("", ""), (" \r\n\t ", ""),
        ("\u{00A0}wide\u{2003}", "wide"), (" a b ", "a b"), ("é ", "é"),
    ])
    func trimsASCIIAndUnicodeWhiteSpace(input: String, expected: String) {
        #expect(input.trimmingWhitespace() == expected)
        #expect(Substring(input).trimmingWhitespace() == expected)
        #expect(input.trimmed == expected && Substring(input).trimmed == expected)
    }

    @Test func comparesIgnoringASCIICaseOnly() {
        #expect("Content-Type".equalsIgnoringASCIICase("content-type"))
        #expect("X-REQUEST-ID".equalsIgnoringASCIICase("x-request-id"))
        #expect(!"Content-Type".equalsIgnoringASCIICase("Content-Typ"))
        #expect(!"a[".equalsIgnoringASCIICase("A{"))  // '[' and '{' differ by 0x20 but are not letters
        #expect(!"É".equalsIgnoringASCIICase("é"))
    }

    @Test func randomHexHasTheLengthAndNeverRepeats() {
        var seen = Set<String>()
        // More than one 256-byte refill of the pool.
        for _ in 0..<100 {
            let id = RandomHex.make(byteCount: 16)
            #expect(RandomHex.isLowerHex(id[...], length: 32))
            seen.insert(id)
        }
        #expect(seen.count == 100)
    }

    @Test func parsesHeaderLinesAndStartsOverOnANewStatusLine() throws {
        let transfer = try CurlTransfer(request: .init(url: "http://127.0.0.1:1/"), timeout: .seconds(1), maxResponseBytes: 10)
        func feed(_ line: String) {
            Array(line.utf8).withUnsafeBytes { transfer.receiveHeader($0) }
        }
        feed("HTTP/1.1 100 Continue\r\n")
        feed("X-Early: 1\r\n")
        feed("HTTP/1.1 200 OK\r\n")
        feed("Content-Type:  application/json \r\n")
        feed("X-Empty:\r\n")
        feed("not a header\r\n")
        feed("\r\n")
        #expect(transfer.headers.map(\.0) == ["Content-Type", "X-Empty"])
        #expect(transfer.headers.map(\.1) == ["application/json", ""])
    }
}
