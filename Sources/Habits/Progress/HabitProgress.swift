import FlotillaKit

/// The progress rules, computed from a ``HabitTimeline``.
///
/// - A streak counts consecutive scheduled periods met: days for daily and weekday habits
///   (a weekday habit is not broken by a weekend), ISO weeks for N-times-a-week habits,
///   windows for every-N-days habits. A day is met when its value reaches the target.
/// - The period containing today does not break a streak until it is over; it extends the
///   streak as soon as it is met.
/// - Archiving pauses a habit: unmet periods while archived count neither way.
/// - Completion rates are met periods over due periods (met or missed) that ended in the
///   window; `nil` when none were due.
struct HabitProgress: Sendable {
    let timeline: HabitTimeline
    private let standings: [(period: HabitTimeline.Period, standing: HabitTimeline.Standing)]

    init(_ timeline: HabitTimeline) {
        self.timeline = timeline
        standings = timeline.periods.map { ($0, timeline.standing(of: $0)) }
    }

    /// Met periods counted back from today, skipping open and paused ones, up to the first
    /// missed one.
    var currentStreak: Int {
        var streak = 0
        for (_, standing) in standings.reversed() {
            switch standing {
            case .met: streak += 1
            case .missed: return streak
            case .open, .paused: continue
            }
        }
        return streak
    }

    /// The longest run of met periods ever (open and paused ones do not interrupt it).
    var longestStreak: Int {
        var longest = 0, run = 0
        for (_, standing) in standings {
            switch standing {
            case .met:
                run += 1
                longest = max(longest, run)
            case .missed: run = 0
            case .open, .paused: continue
            }
        }
        return longest
    }

    /// Met over due periods whose last day is within the `days` days ending today (all time
    /// when `nil`), plus the current period once met.
    func completionRate(lastDays days: Int?) -> Double? {
        let since = days.map { timeline.today.adding(days: 1 - $0) }
        var met = 0, due = 0
        for (period, standing) in standings where since.map({ period.last >= $0 }) ?? true {
            switch standing {
            case .met:
                met += 1
                due += 1
            case .missed: due += 1
            case .open, .paused: continue
            }
        }
        return due == 0 ? nil : Double(met) / Double(due)
    }

    /// Days with any check-in.
    var totalCheckIns: Int {
        timeline.values.values.count { $0 > 0 }
    }

    /// The weekday with the most met days (the earliest in the week on a tie); `nil` before
    /// any day was met.
    var bestWeekday: Weekday? {
        var counts = [Weekday: Int]()
        for (day, value) in timeline.values where value >= timeline.target { counts[day.weekday, default: 0] += 1 }
        guard let best = counts.values.max() else { return nil }
        return Weekday.allCases.first { counts[$0] == best }
    }

    /// Met days in the last 7 days against the 7 before.
    var trend: Trend {
        let today = timeline.today
        let recent = today.adding(days: -6).through(today).count(where: timeline.isMet)
        let before = today.adding(days: -13).through(today.adding(days: -7)).count(where: timeline.isMet)
        return recent > before ? .up : (recent < before ? .down : .stable)
    }

    enum Trend: String, Codable, Sendable {
        case up, down, stable
    }

    /// How one calendar day looks.
    enum DayState: String, Codable, Sendable {
        /// The value reached the target.
        case completed
        /// Checked in below the target.
        case partial
        /// Due and not done, and its period is over unmet.
        case missed
        /// Nothing was due: an unscheduled weekday, before the habit started, while archived,
        /// or in a flexible period already met.
        case notScheduled = "not_scheduled"
        /// Not done yet, and its period (today's day or week) is still running.
        case pending
    }

    /// The state of each day from `first` through `last` (never past today).
    func calendar(from first: LocalDate, through last: LocalDate) -> [(date: LocalDate, state: DayState)] {
        first.through(min(last, timeline.today)).map { ($0, state(of: $0)) }
    }

    func state(of day: LocalDate) -> DayState {
        let value = timeline.values[day] ?? 0
        if value >= timeline.target { return .completed }
        if value > 0 { return .partial }
        guard day >= timeline.start, !timeline.isPaused(day), let period = timeline.period(containing: day) else { return .notScheduled }
        switch timeline.standing(of: period) {
        case .met: return .notScheduled
        case .open: return .pending
        case .paused: return .notScheduled
        case .missed: return .missed
        }
    }

    /// Whether the habit asks for something today, and how today stands.
    var today: (due: Bool, state: DayState) {
        let day = timeline.today
        let state = state(of: day)
        return (state == .pending || state == .completed || state == .partial, state)
    }
}
