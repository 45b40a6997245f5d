import FlotillaKit

/// A user's notification preferences: channels per category, quiet hours, time zone.
/// Unset channels take ``defaults``; `security` is always delivered on every channel.
struct Preferences: Codable, Sendable, Equatable {
    /// Per category, per channel: on or off.
    var channels: [String: [String: Bool]]
    var quietHours: QuietWindow?
    var timeZone: String

    struct QuietWindow: Codable, Sendable, Equatable {
        var start: String
        var end: String
    }

    enum CodingKeys: String, CodingKey {
        case channels
        case quietHours = "quiet_hours"
        case timeZone = "time_zone"
    }

    /// Email is off by default only for reminders (one a day, in-app is enough).
    static func defaultSetting(_ category: NotificationCategory, _ channel: NotificationChannel) -> Bool {
        !(category == .reminders && channel == .email)
    }

    static let standard = Preferences(channels: [:], quietHours: nil, timeZone: "UTC")

    /// Whether `category` goes out on `channel`.
    func allows(_ category: NotificationCategory, on channel: NotificationChannel) -> Bool {
        if category.isMandatory { return true }
        return channels[category.rawValue]?[channel.rawValue] ?? Self.defaultSetting(category, channel)
    }

    /// Every category and channel with its effective setting, as `GET` shows them.
    var effective: Preferences {
        var all = [String: [String: Bool]]()
        for category in NotificationCategory.allCases {
            for channel in NotificationChannel.allCases { all[category.rawValue, default: [:]][channel.rawValue] = allows(category, on: channel) }
        }
        return Preferences(channels: all, quietHours: quietHours, timeZone: timeZone)
    }

    /// The quiet hours as a rule, when set.
    var quietRule: QuietHours? {
        guard let window = quietHours, let start = ClockTime(window.start), let end = ClockTime(window.end) else { return nil }
        return QuietHours(start: start, end: end)
    }
}
