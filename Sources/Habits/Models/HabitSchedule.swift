import FlotillaKit

/// When a habit is due. JSON: `{"type": "daily"}`, `{"type": "weekdays", "days": ["mon",
/// "wed"]}`, `{"type": "times_per_week", "times": 3}`, `{"type": "every_n_days", "interval": 2}`.
enum HabitSchedule: Sendable, Equatable {
    /// Every day.
    case daily
    /// On these days of the week only; other days are not scheduled.
    case weekdays(Set<Weekday>)
    /// `times` days a week (Monday to Sunday), any days.
    case timesPerWeek(Int)
    /// Once in every window of `interval` days, counted from the habit's creation day.
    case everyNDays(Int)

    static let allowedTimes = 1...7
    static let allowedInterval = 2...365

    /// The unit a streak counts in: days for day-by-day schedules, weeks, or windows.
    var streakUnit: String {
        switch self {
        case .daily, .weekdays: "days"
        case .timesPerWeek: "weeks"
        case .everyNDays: "periods"
        }
    }
}

extension HabitSchedule: Codable {
    private enum Key: String, CodingKey { case type, days, times, interval }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        let type = try container.decode(String.self, forKey: .type)
        func invalid(_ message: String) -> DecodingError {
            .dataCorruptedError(forKey: .type, in: container, debugDescription: message)
        }
        switch type {
        case "daily":
            self = .daily
        case "weekdays":
            let names = try container.decode([String].self, forKey: .days)
            let days = names.compactMap(Weekday.init(shortName:))
            guard !names.isEmpty, days.count == names.count, Set(days).count == days.count else {
                throw invalid("schedule.days must list distinct days from mon, tue, wed, thu, fri, sat, sun")
            }
            self = .weekdays(Set(days))
        case "times_per_week":
            let times = try container.decode(Int.self, forKey: .times)
            guard Self.allowedTimes.contains(times) else { throw invalid("schedule.times must be from 1 to 7") }
            self = .timesPerWeek(times)
        case "every_n_days":
            let interval = try container.decode(Int.self, forKey: .interval)
            guard Self.allowedInterval.contains(interval) else { throw invalid("schedule.interval must be from 2 to 365 (use daily for 1)") }
            self = .everyNDays(interval)
        default:
            throw invalid("schedule.type must be daily, weekdays, times_per_week or every_n_days")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .daily:
            try container.encode("daily", forKey: .type)
        case .weekdays(let days):
            try container.encode("weekdays", forKey: .type)
            try container.encode(days.sorted().map(\.shortName), forKey: .days)
        case .timesPerWeek(let times):
            try container.encode("times_per_week", forKey: .type)
            try container.encode(times, forKey: .times)
        case .everyNDays(let interval):
            try container.encode("every_n_days", forKey: .type)
            try container.encode(interval, forKey: .interval)
        }
    }
}
