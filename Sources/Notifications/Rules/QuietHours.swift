import FlotillaKit

/// A user's quiet hours: from `start` to `end` on their local clock, every day. A window
/// whose end is before its start wraps midnight (22:00–07:00). Equal ends mean none.
struct QuietHours: Sendable, Equatable {
    let start: ClockTime
    let end: ClockTime

    /// Whether local minute `minute` falls inside the window (start included, end excluded).
    func contains(minute: Int) -> Bool {
        if start == end { return false }
        if start < end { return minute >= start.minute && minute < end.minute }
        return minute >= start.minute || minute < end.minute
    }

    /// If `instant` (Unix seconds) is quiet in `zone`, the instant the window ends; else nil.
    func end(after instant: Int64, in zone: ZoneInfo) -> Int64? {
        guard contains(minute: zone.minuteOfDay(at: instant)) else { return nil }
        let today = zone.localDate(at: instant)
        // The window ends today if the end is still ahead on the clock, else tomorrow.
        let sameDay = zone.instant(on: today, minute: end.minute)
        return sameDay > instant ? sameDay : zone.instant(on: today.adding(days: 1), minute: end.minute)
    }
}
