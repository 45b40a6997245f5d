import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Profiles in PostgreSQL: created from auth's `user.registered`, edited by their owner,
/// resolved by handle for mentions, deactivated at offboarding.
struct ProfileRepository: Sendable {
    let pool: PostgresPool

    static let columns = """
        user_id, handle, display_name, avatar_url, time_zone, locale, bio, email, preferences, deactivated_at, created_at, updated_at
        """

    /// The profile of `user` from a registration, with a handle made from the email; nothing
    /// changes when it exists already (a replayed or duplicated event). True when created.
    @discardableResult
    static func createFromRegistration(user: String, email: String, name: String, in session: PostgresSession) async throws -> Bool {
        let candidates = Handle.candidates(from: Handle.base(fromEmail: email))
        let displayName = name.allSatisfy(\.isWhitespace) ? String(email.prefix(100)) : String(name.prefix(100))
        // The first candidate no one holds, then an insert that changes nothing on any
        // conflict: the user's profile exists (done), or another registration took the handle
        // in between (inside the consumer's transaction, so no error: try the next free one).
        for _ in 0..<3 {
            let inserted = try await session.query(
                """
                WITH free AS (
                    SELECT c.handle FROM unnest(string_to_array($4, ',')) WITH ORDINALITY AS c (handle, n)
                    WHERE NOT EXISTS (SELECT 1 FROM profiles p WHERE p.handle = c.handle) ORDER BY c.n LIMIT 1
                )
                INSERT INTO profiles (user_id, email, display_name, handle)
                SELECT $1, $2, $3, coalesce((SELECT handle FROM free), 'user-' || substr(md5($1), 1, 12))
                ON CONFLICT DO NOTHING
                """, [user, email, displayName, candidates.joined(separator: ",")]
            )
            if inserted.affectedRows == 1 { return true }
            if try await session.query("SELECT 1 FROM profiles WHERE user_id = $1", [user]).rows.count == 1 { return false }
        }
        throw APIError(.conflict, code: "handle_taken", message: "No free handle for \(user) after three tries.")
    }

    /// The profile of `user`, or nil.
    func find(user: String) async throws -> Profile? {
        try await pool.query("SELECT \(Self.columns) FROM profiles WHERE user_id = $1", [user]).decode(Profile.self).first
    }

    /// The profile whose handle is `handle` (any case), or nil.
    func find(handle: String) async throws -> Profile? {
        try await pool.query("SELECT \(Self.columns) FROM profiles WHERE handle = lower($1)", [handle]).decode(Profile.self).first
    }

    /// The active profiles of `handles`, in one statement.
    func resolve(handles: [String]) async throws -> [ResolvedHandle] {
        try await pool.query(
            """
            SELECT handle, user_id, display_name FROM profiles
            WHERE handle = ANY(string_to_array($1, ',')) AND deactivated_at IS NULL ORDER BY handle
            """, [handles.joined(separator: ",")]
        ).decode(ResolvedHandle.self)
    }

    /// The fields a profile's owner may change.
    struct Changes: Sendable {
        var handle: String?
        var displayName: String?
        var avatarURL: Patch<String> = .absent
        var timeZone: String?
        var locale: String?
        var bio: Patch<String> = .absent
        var preferences: [String: JSONValue]?

        /// The names of the fields present, for `user.profile_updated`.
        var changed: [String] {
            var names: [String] = []
            if handle != nil { names.append("handle") }
            if displayName != nil { names.append("display_name") }
            if avatarURL.isPresent { names.append("avatar_url") }
            if timeZone != nil { names.append("time_zone") }
            if locale != nil { names.append("locale") }
            if bio.isPresent { names.append("bio") }
            if preferences != nil { names.append("preferences") }
            return names
        }
    }

    /// Apply `changes` to `user`'s profile and record `user.profile_updated` with the old
    /// handle when it changed; 409 `handle_taken`.
    func update(user: String, _ changes: Changes) async throws -> Profile {
        do {
            return try await pool.withTransaction { session in
                guard let old = try await session.query("SELECT \(Self.columns) FROM profiles WHERE user_id = $1 FOR UPDATE", [user]).decode(Profile.self).first else {
                    throw Self.notYet
                }
                var assignments = ["updated_at = now()"]
                var parameters: [any PostgresEncodable] = [user]
                func set<Value: PostgresEncodable>(_ column: String, _ value: Value) {
                    parameters.append(value)
                    assignments.append("\(column) = $\(parameters.count)")
                }
                if let handle = changes.handle { set("handle", handle) }
                if let name = changes.displayName { set("display_name", name) }
                if changes.avatarURL.isPresent { set("avatar_url", changes.avatarURL.value) }
                if let zone = changes.timeZone { set("time_zone", zone) }
                if let locale = changes.locale { set("locale", locale) }
                if changes.bio.isPresent { set("bio", changes.bio.value) }
                if let preferences = changes.preferences { set("preferences", PostgresJSON(preferences)) }
                let updated = try await session.query(
                    "UPDATE profiles SET \(assignments.joined(separator: ", ")) WHERE user_id = $1 RETURNING \(Self.columns)", parameters
                ).decode(Profile.self)[0]
                var data: [String: JSONValue] = [
                    "user_id": .string(user), "handle": .string(updated.handle), "display_name": .string(updated.displayName),
                    "time_zone": .string(updated.timeZone), "changed": .array(changes.changed.map(JSONValue.string)),
                ]
                if old.handle != updated.handle { data["previous_handle"] = .string(old.handle) }
                try await session.recordEvent("user.profile_updated", aggregate: "user", id: user, actor: user, data: data)
                return updated
            }
        } catch let error as PostgresError where error.constraint == "profiles_handle" {
            throw APIError(.conflict, code: "handle_taken", message: "The handle '\(changes.handle ?? "")' is taken; choose another.")
        }
    }

    /// 404 for a signed-in user whose profile has not been made yet.
    static let notYet = APIError.notFound("You have no profile yet: it is made from your registration within seconds; try again shortly.")
}
