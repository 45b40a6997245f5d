import FlotillaKit
import Foundation

/// A user's notification preferences: channels per category, quiet hours, time zone, and
/// which categories' emails come as a digest. Unset channels take ``defaults``; `security`
/// is always delivered on every channel, at once.
struct Preferences: Codable, Sendable, Equatable {
    /// Per category, per channel: on or off.
    var channels: [String: [String: Bool]]
    var quietHours: QuietWindow?
    var timeZone: String
    /// Per category, the digest window in minutes: that category's emails within a window
    /// become one message listing them (in-app items still arrive one by one).
    var digest: [String: Int] = [:]

    /// Digest windows allowed, in minutes.
    static let digestMinutes = 5...1440

    struct QuietWindow: Codable, Sendable, Equatable {
        var start: String
        var end: String
    }

    enum CodingKeys: String, CodingKey {
        case channels, digest
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
        return Preferences(channels: all, quietHours: quietHours, timeZone: timeZone, digest: digest)
    }

    /// The digest window of `category`, when its emails are digested (never for `security`).
    func digestWindow(_ category: NotificationCategory) -> Duration? {
        guard !category.isMandatory, let minutes = digest[category.rawValue], minutes > 0 else { return nil }
        return .seconds(minutes * 60)
    }

    /// When an email of `category` may go out: now, or when quiet hours end (never held for
    /// `security`).
    func emailSendTime(for category: NotificationCategory, now: Date, zones: ZoneInfoDatabase) -> Date {
        guard !category.isMandatory, let quiet = quietRule, let zone = zones.zone(timeZone),
            let end = quiet.end(after: Int64(now.timeIntervalSince1970), in: zone)
        else { return now }
        return Date(timeIntervalSince1970: TimeInterval(end))
    }

    /// The quiet hours as a rule, when set.
    var quietRule: QuietHours? {
        guard let window = quietHours, let start = ClockTime(window.start), let end = ClockTime(window.end) else { return nil }
        return QuietHours(start: start, end: end)
    }
}
