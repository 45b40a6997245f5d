import FlotillaKit
import HTTPTypes
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The tus 1.0 protocol's headers and rules (https://tus.io/protocols/resumable-upload).
enum Tus {
    static let version = "1.0.0"
    /// tus's own status for a chunk whose checksum does not match.
    static let checksumMismatch = HTTPResponse.Status(code: 460, reasonPhrase: "Checksum Mismatch")

    /// Headers every tus response carries.
    static var headers: HTTPFields {
        [.tusResumable: version]
    }

    /// 412 with `Tus-Version` unless the request speaks tus 1.0.0.
    static func requireVersion(_ request: Request) throws {
        guard request.headers[.tusResumable] == version else {
            throw APIError(
                .preconditionFailed, code: "unsupported_tus_version", message: "This server speaks tus \(version); send Tus-Resumable: \(version).",
                headers: [.tusVersion: version])
        }
    }

    /// An error in the error envelope with tus's headers (and the offset, when known).
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String, offset: Int64? = nil) -> APIError {
        var headers = Self.headers
        if let offset { headers[.uploadOffset] = String(offset) }
        return APIError(status, code: code, message: message, headers: headers)
    }

    /// `Upload-Metadata`: comma-separated `key base64value` pairs (a key alone has an empty value).
    static func metadata(_ header: String) -> [String: String] {
        var values: [String: String] = [:]
        for pair in header.split(separator: ",") {
            let parts = pair.split(separator: " ", omittingEmptySubsequences: true)
            guard let key = parts.first else { continue }
            if parts.count < 2 {
                values[String(key)] = ""
            } else if let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8) {
                values[String(key)] = text
            }
        }
        return values
    }

    /// `Upload-Checksum: sha256 <base64>` → the digest; nil without the header; 400 for
    /// another algorithm or a malformed value.
    static func checksum(_ header: String?) throws -> [UInt8]? {
        guard let header else { return nil }
        let parts = header.split(separator: " ")
        guard parts.count == 2, parts[0] == "sha256" else {
            throw error(.badRequest, "unsupported_checksum", "Upload-Checksum must be 'sha256 <base64 digest>' (the only algorithm supported).")
        }
        guard let digest = Data(base64Encoded: String(parts[1])), digest.count == 32 else {
            throw error(.badRequest, "malformed_checksum", "Upload-Checksum's digest must be 32 bytes in base64.")
        }
        return Array(digest)
    }

    /// An HTTP date (`Wed, 25 Jun 2014 16:00:00 GMT`), as `Upload-Expires` wants.
    static func httpDate(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let (days, secondOfDay) = seconds.quotientAndRemainder(dividingBy: 86_400)
        let date = LocalDate(daysSinceEpoch: Int(days))
        let (year, month, day) = date.components
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(date.weekday.shortName.prefix(1).uppercased() + date.weekday.shortName.dropFirst()), \(two(Int64(day))) \(months[month - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60)) GMT"
    }
}

extension HTTPField.Name {
    static let tusResumable = HTTPField.Name("Tus-Resumable")!
    static let tusVersion = HTTPField.Name("Tus-Version")!
    static let tusExtension = HTTPField.Name("Tus-Extension")!
    static let tusMaxSize = HTTPField.Name("Tus-Max-Size")!
    static let tusChecksumAlgorithm = HTTPField.Name("Tus-Checksum-Algorithm")!
    static let uploadLength = HTTPField.Name("Upload-Length")!
    static let uploadOffset = HTTPField.Name("Upload-Offset")!
    static let uploadMetadata = HTTPField.Name("Upload-Metadata")!
    static let uploadExpires = HTTPField.Name("Upload-Expires")!
    static let uploadChecksum = HTTPField.Name("Upload-Checksum")!
    /// The file a finished upload became.
    static let flotillaFileID = HTTPField.Name("Flotilla-File-Id")!
}
