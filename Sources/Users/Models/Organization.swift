import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An organization as stored and served; `role` is the caller's role in it.
struct Organization: Codable, Sendable, Equatable {
    let id: String
    /// Lower-case letters, digits and `-`, unique and immutable (`acme`).
    let slug: String
    var name: String
    let createdBy: String
    let createdAt: Date
    var updatedAt: Date
    var role: OrganizationRole?

    enum CodingKeys: String, CodingKey {
        case id, slug, name, role
        case createdBy = "created_by", createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// One member of an organization (or a team), with their name from the profile when known.
struct OrganizationMember: Codable, Sendable, Equatable {
    let userID: String
    let role: OrganizationRole
    let handle: String?
    let displayName: String?
    let joinedAt: Date

    enum CodingKeys: String, CodingKey {
        case role, handle
        case userID = "user_id", displayName = "display_name", joinedAt = "joined_at"
    }
}

/// A team inside an organization.
struct Team: Codable, Sendable, Equatable {
    let id: String
    let slug: String
    var name: String
    var description: String?
    var memberCount: Int
    let createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, slug, name, description
        case memberCount = "member_count", createdAt = "created_at"
    }
}

/// One organization slug or team slug rule: lower-case letters, digits and `-`, 1 to 40
/// characters, starting and ending with a letter or digit.
enum Slug {
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func alphanumeric(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
        guard (1...40).contains(bytes.count), alphanumeric(bytes[0]), alphanumeric(bytes[bytes.count - 1]) else { return false }
        return bytes.allSatisfy { alphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    static let rule = "must be 1 to 40 lower-case letters, digits or '-', starting and ending with a letter or digit"
}
