import FlotillaKit
import Hummingbird

/// `GET /notifications/preferences` (every category and channel with its effective setting)
/// and `PATCH /notifications/preferences`, which merges what it is given:
/// `{"channels": {"orders": {"email": false}}, "quiet_hours": {"start": "22:00", "end": "07:00"} | null,
///   "time_zone": "Europe/Berlin", "digest": {"assignments": 30}}` (minutes; 0 or null: no digest).
struct PreferencesController: Sendable {
    let pool: PostgresPool
    let zones: ZoneInfoDatabase

    func addRoutes(to group: RouterGroup<FlotillaRequestContext>) {
        group.get("/notifications/preferences", use: show)
        group.patch("/notifications/preferences", use: update)
    }

    @Sendable func show(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        return JSONResponse.make(try await pool.withConnection { try await $0.preferences(of: userID) }.effective)
    }

    @Sendable func update(_ request: Request, context: FlotillaRequestContext) async throws -> Response {
        let userID = try context.requirePrincipal().subject
        let patch = try await request.decodeJSON(as: [String: JSONValue].self, context: context)
        let updated = try await pool.withTransaction { session in
            var preferences = try await session.preferences(of: userID)
            try Self.merge(patch, into: &preferences, zones: zones)
            try await session.savePreferences(preferences, of: userID)
            return preferences
        }
        return JSONResponse.make(updated.effective)
    }

    /// Apply `patch` to `preferences`, or 400 naming the first field that is wrong.
    static func merge(_ patch: [String: JSONValue], into preferences: inout Preferences, zones: ZoneInfoDatabase) throws(APIError) {
        for key in patch.keys where !["channels", "quiet_hours", "time_zone", "digest"].contains(key) {
            throw APIError.invalidField(key, "Unknown field; preferences have channels, quiet_hours, time_zone and digest.")
        }
        if let digest = patch["digest"] {
            guard case .object(let categories) = digest else {
                throw APIError.invalidField("digest", "Give an object of categories and minutes, e.g. {\"assignments\": 30}.")
            }
            for (name, value) in categories {
                guard let category = NotificationCategory(rawValue: name) else {
                    throw APIError.invalidField("digest.\(name)", "Unknown category; use one of \(NotificationCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                guard !category.isMandatory else { throw APIError.invalidField("digest.\(name)", "Security notifications are always sent at once.") }
                switch value {
                case .null, .int(0): preferences.digest[name] = nil
                case .int(let minutes) where Preferences.digestMinutes.contains(minutes): preferences.digest[name] = minutes
                default:
                    throw APIError.invalidField(
                        "digest.\(name)", "Give minutes from \(Preferences.digestMinutes.lowerBound) to \(Preferences.digestMinutes.upperBound), or 0 or null for no digest.")
                }
            }
        }
        if let channels = patch["channels"] {
            guard case .object(let categories) = channels else { throw APIError.invalidField("channels", "Give an object of categories.") }
            for (name, settings) in categories {
                guard let category = NotificationCategory(rawValue: name) else {
                    throw APIError.invalidField("channels.\(name)", "Unknown category; use one of \(NotificationCategory.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                guard case .object(let byChannel) = settings else { throw APIError.invalidField("channels.\(name)", "Give an object of channels.") }
                for (channelName, value) in byChannel {
                    guard NotificationChannel(rawValue: channelName) != nil else {
                        throw APIError.invalidField("channels.\(name).\(channelName)", "Unknown channel; use in_app or email.")
                    }
                    guard case .bool(let on) = value else { throw APIError.invalidField("channels.\(name).\(channelName)", "Give true or false.") }
                    if category.isMandatory && !on {
                        throw APIError.invalidField("channels.\(name).\(channelName)", "Security notifications cannot be switched off.")
                    }
                    preferences.channels[name, default: [:]][channelName] = on
                }
            }
        }
        if let quiet = patch["quiet_hours"] {
            switch quiet {
            case .null:
                preferences.quietHours = nil
            case .object(let window):
                guard case .string(let start) = window["start"] ?? .null, ClockTime(start) != nil else {
                    throw APIError.invalidField("quiet_hours.start", "Give a time as HH:MM (24-hour), e.g. 22:00.")
                }
                guard case .string(let end) = window["end"] ?? .null, ClockTime(end) != nil else {
                    throw APIError.invalidField("quiet_hours.end", "Give a time as HH:MM (24-hour), e.g. 07:00.")
                }
                guard start != end else { throw APIError.invalidField("quiet_hours", "Start and end must differ; send null for no quiet hours.") }
                preferences.quietHours = .init(start: start, end: end)
            default:
                throw APIError.invalidField("quiet_hours", "Give {\"start\": \"22:00\", \"end\": \"07:00\"}, or null for none.")
            }
        }
        if let zone = patch["time_zone"] {
            guard case .string(let name) = zone, ZoneInfoDatabase.isPlausibleName(name), zones.zone(name) != nil else {
                throw APIError.invalidField("time_zone", "Give an IANA time zone, e.g. Europe/Berlin or America/New_York.")
            }
            preferences.timeZone = name
        }
    }
}
