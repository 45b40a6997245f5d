import FlotillaKit

/// An ISO 8601 week (`2026-W49`), named by its Monday: weeks start on Monday and week 1 is
/// the one with the year's first Thursday (so 29 December can be in next year's week 1).
struct ISOWeek: Hashable, Comparable, Sendable, CustomStringConvertible {
    let monday: LocalDate

    /// The week holding `date`.
    init(containing date: LocalDate) {
        monday = date.startOfWeek
    }

    /// `2026-W49`; nil for anything else, or a week the year does not have.
    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "-W", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let week = Int(parts[1]),
              (1...Self.weeks(in: year)).contains(week)
        else { return nil }
        monday = Self.firstMonday(of: year).adding(days: 7 * (week - 1))
    }

    /// The ISO year and week number.
    var number: (year: Int, week: Int) {
        let year = monday.adding(days: 3).components.year
        return (year, Self.firstMonday(of: year).days(until: monday) / 7 + 1)
    }

    var description: String {
        let (year, week) = number
        return "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    var sunday: LocalDate { monday.adding(days: 6) }

    static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { lhs.monday < rhs.monday }

    /// The Monday of week 1: the week of 4 January.
    static func firstMonday(of year: Int) -> LocalDate {
        LocalDate(year: year, month: 1, day: 4)!.startOfWeek
    }

    /// 52, or 53 in long years.
    static func weeks(in year: Int) -> Int {
        firstMonday(of: year).days(until: firstMonday(of: year + 1)) / 7
    }
}
