import FlotillaKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A person's profile, keyed by their auth account id (`sub`). Anyone signed in may read a
/// profile; `email` and `preferences` are shown only to the person themself.
struct Profile: Codable, Sendable, Equatable {
    let userID: String
    var handle: String
    var displayName: String
    var avatarURL: String?
    var timeZone: String
    var locale: String
    var bio: String?
    var email: String?
    var preferences: [String: JSONValue]?
    var deactivatedAt: Date?
    let createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case handle, locale, bio, email, preferences
        case userID = "user_id", displayName = "display_name", avatarURL = "avatar_url", timeZone = "time_zone"
        case deactivatedAt = "deactivated_at", createdAt = "created_at", updatedAt = "updated_at"
    }

    /// The profile as someone other than its owner sees it.
    var publicView: Profile {
        var view = self
        view.email = nil
        view.preferences = nil
        return view
    }

    /// The profile as its owner sees it: preferences with their defaults filled in.
    var ownView: Profile {
        var view = self
        view.preferences = Preferences.effective(preferences ?? [:])
        return view
    }
}

/// One handle of `GET /users/resolve`.
struct ResolvedHandle: Codable, Sendable, Equatable {
    let handle: String
    let userID: String
    let displayName: String

    enum CodingKeys: String, CodingKey {
        case handle
        case userID = "user_id", displayName = "display_name"
    }
}
