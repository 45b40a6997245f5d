import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A link that lets anyone holding its token download a file without an account: optional
/// expiry, password and download limit; revocable. Only the token's SHA-256 is stored.
struct ShareLink: Codable, Sendable, Equatable {
    let id: UUID
    let fileID: UUID
    let createdBy: String
    let expiresAt: Date?
    let hasPassword: Bool
    let maxDownloads: Int?
    let downloads: Int
    let revokedAt: Date?
    let createdAt: Date
    /// The token, in the reply that creates the link only.
    var token: String?

    enum CodingKeys: String, CodingKey {
        case id, downloads, token
        case fileID = "file_id", createdBy = "created_by", expiresAt = "expires_at", hasPassword = "has_password"
        case maxDownloads = "max_downloads", revokedAt = "revoked_at", createdAt = "created_at"
    }

    static let columns =
        "id, file_id, created_by, expires_at, password_hash IS NOT NULL AS has_password, max_downloads, downloads, revoked_at, created_at"

    /// Why a link no longer serves (410), or nil while it does at `now`.
    func spent(at now: Date) -> String? {
        if revokedAt != nil { return "was revoked" }
        if let expiresAt, expiresAt <= now { return "expired" }
        if let maxDownloads, downloads >= maxDownloads { return "reached its download limit" }
        return nil
    }
}

/// One person a file is shared with, and what they may do.
struct FileShare: Codable, Sendable, Equatable {
    let userID: String
    let permissions: [FilePermission]
    let sharedBy: String
    let createdAt: Date

    static let columns = "user_id, permissions, shared_by, created_at"

    /// A share from its row (`permissions` is a text array).
    init(row: PostgresRow) throws {
        userID = try row.decode("user_id", as: String.self)
        permissions = try row.decode("permissions", as: [String].self).compactMap(FilePermission.init)
        sharedBy = try row.decode("shared_by", as: String.self)
        createdAt = try row.decode("created_at", as: Date.self)
    }

    enum CodingKeys: String, CodingKey {
        case permissions
        case userID = "user_id", sharedBy = "shared_by", createdAt = "created_at"
    }
}
