import FlotillaKit

/// Everything the progress rules need to know about one habit, as local dates in the
/// habit's time zone — and nothing else: no clock, no database. ``HabitProgress`` turns it
/// into streaks, rates and a calendar.
struct HabitTimeline: Sendable, Equatable {
    /// A span the habit was archived: `start` up to, not including, `end` (`nil`: still is).
    struct Pause: Sendable, Equatable {
        let start: LocalDate
        let end: LocalDate?

        func contains(_ day: LocalDate) -> Bool {
            day >= start && end.map { day < $0 } ?? true
        }
    }

    /// One scheduled period: a single day, an ISO week, or an every-N-days window, and how
    /// many of its days must be met.
    struct Period: Sendable, Equatable {
        let first: LocalDate
        let last: LocalDate
        let required: Int
    }

    var schedule: HabitSchedule
    /// Value a day needs to count as met (e.g. 8 glasses).
    var target: Int
    /// The local day the habit was created: every-N-days windows are counted from it.
    var created: LocalDate
    /// Check-in values by local day.
    var values: [LocalDate: Int]
    var pauses: [Pause]
    /// The local day it is now in the habit's time zone.
    var today: LocalDate

    /// The first day that counts: the creation day, or an earlier backfilled check-in.
    var start: LocalDate {
        min(created, values.keys.min() ?? created)
    }

    func isMet(_ day: LocalDate) -> Bool {
        (values[day] ?? 0) >= target
    }

    func isPaused(_ day: LocalDate) -> Bool {
        pauses.contains { $0.contains(day) }
    }

    /// The scheduled periods that overlap `start`…`today`, oldest first.
    var periods: [Period] {
        periods(from: start, through: today)
    }

    /// The scheduled periods overlapping `first`…`last` (never before ``start``).
    func periods(from first: LocalDate, through last: LocalDate) -> [Period] {
        let first = max(first, start)
        guard first <= last else { return [] }
        switch schedule {
        case .daily:
            return first.through(last).map { Period(first: $0, last: $0, required: 1) }
        case .weekdays(let days):
            return first.through(last).filter { days.contains($0.weekday) }.map { Period(first: $0, last: $0, required: 1) }
        case .timesPerWeek(let times):
            return stride(from: first.startOfWeek.daysSinceEpoch, through: last.daysSinceEpoch, by: 7).map { monday in
                let week = LocalDate(daysSinceEpoch: monday)
                // A first week cut short by the start asks for no more days than it has.
                let available = max(start, week).days(until: week.adding(days: 6)) + 1
                return Period(first: week, last: week.adding(days: 6), required: min(times, available))
            }
        case .everyNDays(let interval):
            let firstIndex = created.days(until: first).floorDivided(by: interval)
            let lastIndex = created.days(until: last).floorDivided(by: interval)
            return (firstIndex...lastIndex).map { index in
                let begin = created.adding(days: index * interval)
                return Period(first: begin, last: begin.adding(days: interval - 1), required: 1)
            }
        }
    }

    /// The period `day` belongs to, or `nil` when nothing is scheduled that day.
    func period(containing day: LocalDate) -> Period? {
        periods(from: day, through: day).first
    }

    /// How a period stands today.
    enum Standing: Sendable, Equatable {
        /// Enough of its days were met.
        case met
        /// Over and not met: breaks a streak.
        case missed
        /// Not met yet but still running (it contains today): counts neither way.
        case open
        /// Not met, and the habit was archived during it: counts neither way.
        case paused
    }

    func standing(of period: Period) -> Standing {
        let metDays = max(period.first, start).through(min(period.last, today)).count(where: isMet)
        if metDays >= period.required { return .met }
        if period.last >= today { return .open }
        if period.first.through(period.last).contains(where: isPaused) { return .paused }
        return .missed
    }
}
