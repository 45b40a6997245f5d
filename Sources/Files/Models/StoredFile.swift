import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A file attached to an entity: its current version's name, type, size and checksum.
/// Every upload under the same id is a new version (``FileVersion``).
struct StoredFile: Codable, Sendable, Equatable {
    typealias ID = UUID

    let id: UUID
    let entity: EntityReference
    let uploaderID: String
    var name: String
    var contentType: String
    var size: Int64
    var sha256: String
    var version: Int
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, entity, name, size, sha256, version
        case uploaderID = "uploader_id", contentType = "content_type", createdAt = "created_at", updatedAt = "updated_at"
    }

    /// The select list (table alias `f`).
    static let columns = "f.id, f.entity, f.uploader_id, f.name, f.content_type, f.size, f.sha256, f.version, f.created_at, f.updated_at"

    /// The strong validator of the current content: its hash.
    var etag: String { "\"\(sha256)\"" }
}

/// One version of a file.
struct FileVersion: Codable, Sendable, Equatable {
    let number: Int
    let name: String
    let contentType: String
    let size: Int64
    let sha256: String
    let uploaderID: String
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case number, name, size, sha256
        case contentType = "content_type", uploaderID = "uploader_id", createdAt = "created_at"
    }

    static let columns = "number, name, content_type, size, sha256, uploader_id, created_at"
}
