import FlotillaKit

/// The zone each person counts days and weeks in, as users' `user.profile_updated` events
/// tell it (UTC until they choose one).
struct UserZones: Sendable {
    let zones: ZoneInfoDatabase

    /// `user`'s zone, read inside `session`.
    func zone(of user: String, in session: PostgresSession) async throws -> ZoneInfo {
        zones.zone(try await name(of: user, in: session)) ?? zones.zone("UTC")!
    }

    /// `user`'s zone name, read inside `session`.
    func name(of user: String, in session: PostgresSession) async throws -> String {
        try await session.query("SELECT time_zone FROM user_zones WHERE user_id = $1", [user]).rows.first?.decode("time_zone", as: String.self) ?? "UTC"
    }

    /// Remember `zone` for `user` (from an event).
    static func save(_ zone: String, for user: String, in session: PostgresSession) async throws {
        try await session.query(
            "INSERT INTO user_zones (user_id, time_zone) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET time_zone = excluded.time_zone", [user, zone])
    }
}
