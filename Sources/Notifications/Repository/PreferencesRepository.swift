import FlotillaKit
import Foundation

extension PostgresSession {
    /// `userID`'s preferences (the standard ones when never set).
    func preferences(of userID: String) async throws -> Preferences {
        guard let row = try await query(
            "SELECT channels::text AS channels, digest::text AS digest, quiet_start, quiet_end, time_zone FROM preferences WHERE user_id = $1", [userID]
        ).rows.first else { return .standard }
        let channels = try JSONDecoder().decode([String: [String: Bool]].self, from: Data(try row.decode("channels", as: String.self).utf8))
        let digest = try JSONDecoder().decode([String: Int].self, from: Data(try row.decode("digest", as: String.self).utf8))
        let start = try row.decode("quiet_start", as: String?.self)
        let end = try row.decode("quiet_end", as: String?.self)
        return Preferences(
            channels: channels, quietHours: start.flatMap { start in end.map { .init(start: start, end: $0) } },
            timeZone: try row.decode("time_zone"), digest: digest)
    }

    /// Store `preferences` as `userID`'s.
    func savePreferences(_ preferences: Preferences, of userID: String) async throws {
        try await query(
            """
            INSERT INTO preferences (user_id, channels, quiet_start, quiet_end, time_zone, digest) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (user_id) DO UPDATE SET channels = EXCLUDED.channels, quiet_start = EXCLUDED.quiet_start,
                quiet_end = EXCLUDED.quiet_end, time_zone = EXCLUDED.time_zone, digest = EXCLUDED.digest, updated_at = now()
            """,
            [userID, PostgresJSON(preferences.channels), preferences.quietHours?.start, preferences.quietHours?.end, preferences.timeZone,
             PostgresJSON(preferences.digest)])
    }
}
