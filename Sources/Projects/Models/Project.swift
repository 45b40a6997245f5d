import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A project as stored and served. `role` is the caller's role in it (absent for admins of
/// the platform reading a project they are not in).
struct Project: Codable, Sendable, Equatable {
    let id: String
    /// 2–10 upper-case letters, unique and immutable: the prefix of task keys (`WEB-142`).
    let key: String
    var name: String
    var description: String?
    let ownerID: String
    var settings: [String: JSONValue]
    var archivedAt: Date?
    let createdAt: Date
    var updatedAt: Date
    var role: ProjectRole?

    var isArchived: Bool { archivedAt != nil }

    enum CodingKeys: String, CodingKey {
        case id, key, name, description, settings, role
        case ownerID = "owner_id", archivedAt = "archived_at", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// `GET /projects`: a page of the caller's projects.
struct ProjectPage: Codable, Sendable {
    let data: [Project]
    let pagination: PageInfo
}

/// One member of a project.
struct Member: Codable, Sendable, Equatable {
    let userID: String
    let role: ProjectRole
    let addedAt: Date

    enum CodingKeys: String, CodingKey {
        case role
        case userID = "user_id", addedAt = "added_at"
    }
}
