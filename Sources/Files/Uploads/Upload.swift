import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A resumable upload in progress (tus 1.0): who started it, what it will become (a new file
/// on `entity`, or a new version of `fileID`), how long it is and how far it got.
struct Upload: Codable, Sendable, Equatable {
    let id: UUID
    let userID: String
    let entity: EntityReference
    let fileID: UUID?
    let name: String
    let contentType: String?
    let length: Int64
    let offset: Int64
    let expiresAt: Date
    let completedFileID: UUID?

    enum CodingKeys: String, CodingKey {
        case id, entity, name, length, offset
        case userID = "user_id", fileID = "file_id", contentType = "content_type", expiresAt = "expires_at", completedFileID = "completed_file_id"
    }

    static let columns = #"id, user_id, entity, file_id, name, content_type, length, "offset", expires_at, completed_file_id"#
}
