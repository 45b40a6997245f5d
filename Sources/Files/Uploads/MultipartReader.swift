import FlotillaKit
import HTTPTypes
import NIOCore

/// Reads a `multipart/form-data` body (RFC 7578) as it arrives: part headers one by one, small
/// text fields whole, and a file part as a stream of chunks, so a file of any size passes
/// through with only one incoming chunk and a delimiter's length held back. Used by one task
/// at a time (the request's handler), hence `@unchecked Sendable`.
final class MultipartReader<Base: AsyncSequence & Sendable>: @unchecked Sendable where Base.Element == ByteBuffer {
    /// One part's headers.
    struct Part: Sendable, Equatable {
        /// The form field's name (`Content-Disposition: form-data; name="file"`).
        let name: String
        /// The file's name as the client gave it, without any directory; nil for a plain field.
        let filename: String?
        /// The part's declared `Content-Type`.
        let contentType: String?
    }

    /// Largest block of part headers accepted.
    static var maxHeaderBytes: Int { 16 * 1024 }

    private var source: Base.AsyncIterator
    private let delimiter: [UInt8]
    /// Unread bytes; starts with CRLF so the first boundary looks like every later one.
    private var buffer = ByteBuffer(string: "\r\n")
    private var sourceEnded = false
    private var inBody = false
    private var finished = false

    init(_ body: Base, boundary: String) {
        source = body.makeAsyncIterator()
        delimiter = Array("\r\n--\(boundary)".utf8)
    }

    /// The boundary of a `multipart/form-data` content type, nil for any other type.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType, ContentSniffer.mediaType(contentType) == "multipart/form-data" else { return nil }
        return HeaderParameters(contentType)["boundary"].flatMap { (1...70).contains($0.count) ? $0 : nil }
    }

    /// The next part's headers, after skipping what is left of the current one; nil after the
    /// closing delimiter.
    func nextPart() async throws -> Part? {
        if finished { return nil }
        if inBody { while try await nextBodyChunk() != nil {} }
        // Up to the delimiter (the preamble, before the first part, is ignored).
        while true {
            if let at = find(delimiter) {
                buffer.moveReaderIndex(forwardBy: at + delimiter.count)
                break
            }
            buffer.moveReaderIndex(forwardBy: max(0, buffer.readableBytes - delimiter.count + 1))
            guard try await fill() else { throw Self.malformed("The body ended before the first boundary; is the boundary in Content-Type right?") }
        }
        while buffer.readableBytes < 2 { guard try await fill() else { throw Self.truncated } }
        if buffer.getString(at: buffer.readerIndex, length: 2) == "--" {
            finished = true
            return nil
        }
        // The rest of the boundary line (transport padding), then header lines up to a blank one.
        _ = try await readLine(limit: 80)
        var headers: [String] = []
        var headerBytes = 0
        while true {
            let line = try await readLine(limit: Self.maxHeaderBytes)
            if line.isEmpty { break }
            headerBytes += line.utf8.count
            guard headerBytes <= Self.maxHeaderBytes else { throw Self.malformed("A part's headers are longer than \(Self.maxHeaderBytes) bytes.") }
            headers.append(line)
        }
        inBody = true
        return try Self.part(from: headers)
    }

    /// The current part's bytes, chunk by chunk; nil at its end.
    func nextBodyChunk() async throws -> ByteBuffer? {
        guard inBody else { return nil }
        while true {
            if let at = find(delimiter) {
                if at == 0 {
                    inBody = false
                    return nil
                }
                return buffer.readSlice(length: at)
            }
            let safe = buffer.readableBytes - (delimiter.count - 1)
            if safe > 0 { return buffer.readSlice(length: safe) }
            guard try await fill() else { throw Self.truncated }
        }
    }

    /// The current part's value as UTF-8 text of at most `limit` bytes.
    func readText(limit: Int) async throws -> String {
        var bytes: [UInt8] = []
        while let chunk = try await nextBodyChunk() {
            bytes += chunk.readableBytesView
            guard bytes.count <= limit else { throw Self.malformed("A form field is longer than \(limit) bytes.") }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The current part's bytes as an async sequence (for the blob store).
    var body: PartBody { PartBody(reader: self) }

    /// The current part's bytes.
    struct PartBody: AsyncSequence, Sendable {
        typealias Element = ByteBuffer
        let reader: MultipartReader

        func makeAsyncIterator() -> Iterator { Iterator(reader: reader) }

        struct Iterator: AsyncIteratorProtocol {
            let reader: MultipartReader
            mutating func next() async throws -> ByteBuffer? { try await reader.nextBodyChunk() }
        }
    }

    /// Append the source's next chunk; false when it has ended.
    private func fill() async throws -> Bool {
        guard !sourceEnded, var chunk = try await source.next() else {
            sourceEnded = true
            return false
        }
        buffer.discardReadBytes()
        buffer.writeBuffer(&chunk)
        return true
    }

    /// Where `needle` starts in the unread bytes.
    private func find(_ needle: [UInt8]) -> Int? {
        buffer.withUnsafeReadableBytes { bytes in
            guard bytes.count >= needle.count else { return nil }
            var index = 0
            let last = bytes.count - needle.count
            while index <= last {
                guard let first = bytes[index...last].firstIndex(of: needle[0]) else { return nil }
                if bytes[first..<(first + needle.count)].elementsEqual(needle) { return first }
                index = first + 1
            }
            return nil
        }
    }

    /// The unread bytes up to the next CRLF, as text, consumed with it.
    private func readLine(limit: Int) async throws -> String {
        let lineEnd: [UInt8] = [13, 10]
        while true {
            if let end = find(lineEnd) {
                let line = buffer.readString(length: end) ?? ""
                buffer.moveReaderIndex(forwardBy: 2)
                return line
            }
            guard buffer.readableBytes <= limit else { throw Self.malformed("A line of part headers is longer than \(limit) bytes.") }
            guard try await fill() else { throw Self.truncated }
        }
    }

    static func part(from headers: [String]) throws -> Part {
        var disposition: HeaderParameters?
        var contentType: String?
        for line in headers {
            guard let colon = line.firstIndex(of: ":") else { throw malformed("A part header has no colon: \(line.prefix(60))") }
            let value = String(line[line.index(after: colon)...]).trimmingWhitespace()
            switch line[..<colon].lowercased() {
            case "content-disposition": disposition = HeaderParameters(String(value))
            case "content-type": contentType = String(value)
            default: continue
            }
        }
        guard let disposition, disposition.value.lowercased() == "form-data", let name = disposition["name"] else {
            throw malformed("Every part needs Content-Disposition: form-data with a name.")
        }
        let filename = (disposition.extended("filename") ?? disposition["filename"]).map(Self.lastPathComponent)
        return Part(name: name, filename: filename, contentType: contentType)
    }

    /// `C:\Users\ada\spec.pdf` (old browsers) and `docs/spec.pdf` are `spec.pdf`.
    static func lastPathComponent(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "")
    }

    static var truncated: APIError { malformed("The multipart body ended inside a part; send it again, whole.") }

    static func malformed(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_multipart", message: message)
    }
}
