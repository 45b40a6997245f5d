import FlotillaKit
import NIOCore
import Testing

@testable import Files

/// The streaming multipart reader, fed the same bodies cut into chunks of every awkward size.
@Suite("files: multipart/form-data reading")
struct MultipartReaderTests {
    /// A body delivered in chunks of `size` bytes.
    struct Chunked: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let bytes: [UInt8]
        let size: Int

        func makeAsyncIterator() -> Iterator { Iterator(rest: bytes[...], size: size) }

        struct Iterator: AsyncIteratorProtocol {
            var rest: ArraySlice<UInt8>
            let size: Int
            mutating func next() async throws -> ByteBuffer? {
                guard !rest.isEmpty else { return nil }
                defer { rest = rest.dropFirst(size) }
                return ByteBuffer(bytes: rest.prefix(size))
            }
        }
    }

    static let boundary = "----flotilla7MA4YWxkTrZu0gW"
    /// File content that looks like a delimiter in part: CRs, CRLF--, the boundary without its CRLF.
    static let tricky: [UInt8] = Array("line one\r\nline\rtwo\r\n-\r\n--\r\n------flotilla7MA4YWxk\r\n--flotilla\n\(boundary)\r\nend".utf8) + [0, 13, 255]

    static func form(_ parts: [(headers: String, body: [UInt8])], preamble: String = "", epilogue: String = "") -> [UInt8] {
        var bytes = Array(preamble.utf8)
        for (index, part) in parts.enumerated() {
            bytes += Array("\(index == 0 && preamble.isEmpty ? "" : "\r\n")--\(boundary)\r\n\(part.headers)\r\n\r\n".utf8) + part.body
        }
        return bytes + Array("\r\n--\(boundary)--\r\n\(epilogue)".utf8)
    }

    /// Each part's headers and text (the file part's bytes kept exact).
    static func read(_ bytes: [UInt8], chunk: Int) async throws -> [(MultipartReader<Chunked>.Part, [UInt8])] {
        let reader = MultipartReader(Chunked(bytes: bytes, size: chunk), boundary: boundary)
        var parts: [(MultipartReader<Chunked>.Part, [UInt8])] = []
        while let part = try await reader.nextPart() {
            var content: [UInt8] = []
            for try await piece in reader.body { content += piece.readableBytesView }
            parts.append((part, content))
        }
        return parts
    }

    @Test(arguments: [1, 2, 3, 7, 31, 64, 100_000])
    func partsAndBytesComeOutExactlyWhateverTheChunking(_ chunk: Int) async throws {
        let body = Self.form(
            [
                ("Content-Disposition: form-data; name=\"name\"", Array("notes.txt".utf8)),
                ("Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\Users\\\\ada\\\\a.bin\"\r\nContent-Type: application/octet-stream", Self.tricky),
                ("Content-Disposition: form-data; name=\"empty\"", []),
            ], preamble: "This is the preamble.\r\n", epilogue: "and an epilogue")
        let parts = try await Self.read(body, chunk: chunk)
        #expect(parts.map(\.0.name) == ["name", "file", "empty"])
        #expect(parts[0].1 == Array("notes.txt".utf8) && parts[0].0.filename == nil)
        #expect(parts[1].1 == Self.tricky, "the file's bytes, delimiter look-alikes included")
        #expect(parts[1].0.filename == "a.bin" && parts[1].0.contentType == "application/octet-stream")
        #expect(parts[2].1.isEmpty)
    }

    @Test func aPartWithoutHeadersOrDispositionIsRefused() async throws {
        let body = Self.form([("Content-Type: text/plain", Array("x".utf8))])
        await #expect(throws: APIError.self) { _ = try await Self.read(body, chunk: 5) }
    }

    @Test(arguments: [1, 9, 1000])
    func aBodyCutShortIsRefusedNotStoredHalf(_ chunk: Int) async throws {
        let whole = Self.form([("Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"", Array(repeating: UInt8(ascii: "a"), count: 500))])
        let cut = Array(whole.dropLast(20))
        let error = await #expect(throws: APIError.self) { _ = try await Self.read(cut, chunk: chunk) }
        #expect(error?.code == "invalid_multipart" && error?.message.contains("ended inside a part") == true)
    }

    @Test func aWrongBoundaryIsSaidPlainly() async throws {
        let reader = MultipartReader(Chunked(bytes: Array("--other\r\n\r\nx\r\n--other--".utf8), size: 4), boundary: Self.boundary)
        let error = await #expect(throws: APIError.self) { _ = try await reader.nextPart() }
        #expect(error?.message.contains("boundary") == true)
    }

    @Test(arguments: [
        ("multipart/form-data; boundary=abc", "abc" as String?),
        ("Multipart/Form-Data; charset=utf-8; boundary=\"a b;c\"", "a b;c"),
        ("multipart/mixed; boundary=abc", nil),
        ("text/plain", nil),
        ("multipart/form-data", nil),
        ("multipart/form-data; boundary=\(String(repeating: "x", count: 71))", nil),
    ])
    func theBoundaryComesFromAFormContentTypeOnly(_ header: String, _ expected: String?) {
        #expect(MultipartReader<Chunked>.boundary(of: header) == expected)
    }

    @Test func dispositionParametersAreUnquotedAndTheExtendedNameWins() throws {
        let part = try MultipartReader<Chunked>.part(from: [
            #"content-disposition: form-data; name="file"; filename="r_sum_ \"v2\".txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%20v2.txt"#,
        ])
        #expect(part.name == "file" && part.filename == "résumé v2.txt")
        let quoted = HeaderParameters(#"form-data; name="a;b"; filename="say \"hi\".txt""#)
        #expect(quoted["NAME"] == "a;b" && quoted["filename"] == #"say "hi".txt"# && quoted.value == "form-data")
        #expect(HeaderParameters("form-data; filename*=latin-1''x").extended("filename") == nil)
    }
}
