import FlotillaKit

/// When a reminder fires: at `time` on the local clock of `zone`, on `days` (every day when
/// empty).
struct ReminderSchedule: Sendable, Equatable {
    let time: ClockTime
    let days: Set<Weekday>
    let zone: ZoneInfo

    /// The first firing strictly after `instant`. After downtime the scheduler fires a missed
    /// reminder once and then asks for the next one after now, so a week away is one late
    /// reminder, not seven.
    func nextFiring(after instant: Int64) -> Int64 {
        var date = zone.localDate(at: instant)
        // Eight days always reach the next allowed weekday at a time after `instant`.
        for _ in 0...8 {
            if days.isEmpty || days.contains(date.weekday) {
                let firing = zone.instant(on: date, minute: time.minute)
                if firing > instant { return firing }
            }
            date = date.adding(days: 1)
        }
        preconditionFailure("no firing within eight days: days \(days)")
    }
}
