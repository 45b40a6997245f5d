import FlotillaKit
import HTTPTypes
import Hummingbird

/// Sends a blob as a download: `ETag` (the content's SHA-256) with `If-None-Match` → 304,
/// one `Range` → 206 with `Content-Range` (several ranges, or none inside the file → 416),
/// `Content-Disposition` with a safe name, `X-Content-Type-Options: nosniff`, and the body
/// streamed from the store.
struct ContentResponder: Sendable {
    let store: any BlobStore

    /// What is sent.
    struct Content: Sendable {
        let sha256: String
        let size: Int64
        let name: String
        let contentType: String
    }

    func respond(_ content: Content, to request: Request, context: FlotillaRequestContext) async throws -> Response {
        var headers = HTTPFields()
        let etag = "\"\(content.sha256)\""
        headers[.eTag] = etag
        headers[.acceptRanges] = "bytes"
        headers[.cacheControl] = "private, no-cache"
        headers[.xContentTypeOptions] = "nosniff"
        if let match = request.headers[.ifNoneMatch], Self.matches(match, etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = content.contentType
        headers[.contentDisposition] = FileName.contentDisposition(content.name)
        var range: ClosedRange<Int64>? = nil
        if let header = request.headers[.range], request.headers[.ifRange].map({ $0 == etag }) ?? true {
            switch ByteRange.parse(header, size: content.size) {
            case .satisfiable(let bytes): range = bytes
            case .ignored: break
            case .unsatisfiable:
                throw APIError(
                    .rangeNotSatisfiable, code: "range_not_satisfiable", message: "The file has \(content.size) bytes; ask for a range inside them.",
                    headers: [.contentRange: "bytes */\(content.size)"])
            case .multiple:
                throw APIError(
                    .rangeNotSatisfiable, code: "multiple_ranges", message: "Ask for one byte range per request; several at once are not served.",
                    headers: [.contentRange: "bytes */\(content.size)"])
            }
        }
        guard content.size > 0 else { return Response(status: .ok, headers: headers, body: ResponseBody()) }
        if let range {
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(content.size)"
            return Response(status: .partialContent, headers: headers, body: try await store.read(content.sha256, range: range, pacedOn: context.eventLoop))
        }
        return Response(status: .ok, headers: headers, body: try await store.read(content.sha256, range: 0...(content.size - 1), pacedOn: context.eventLoop))
    }

    /// Whether an `If-None-Match` list names `etag` (or is `*`); weak tags compare by value.
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let tag = item.filter { $0 != " " }
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
