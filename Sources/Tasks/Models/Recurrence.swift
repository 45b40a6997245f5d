import FlotillaKit

/// A recurring task's rule (Vikunja's and Todoist's two kinds): every `interval` days, weeks
/// or months, counted from the due date (the next due date is the first on that schedule
/// after the day it was completed) or from the completion date.
struct Recurrence: Codable, Sendable, Equatable {
    enum Frequency: String, Codable, Sendable, CaseIterable {
        case daily, weekly, monthly
    }

    enum Basis: String, Codable, Sendable, CaseIterable {
        case dueDate = "due_date", completion
    }

    var frequency: Frequency
    var interval: Int
    var from: Basis

    /// The next occurrence's start and due dates, for a task with `start`/`due` completed on
    /// local day `completedOn`. The start keeps its distance to the due date.
    func nextDates(start: LocalDate?, due: LocalDate?, completedOn: LocalDate) -> (start: LocalDate?, due: LocalDate) {
        let anchor = from == .dueDate ? (due ?? completedOn) : completedOn
        var step = 1
        var next = advance(anchor, steps: step)
        if from == .dueDate {
            while next <= completedOn {
                step += 1
                next = advance(anchor, steps: step)
            }
        }
        let lead = due.flatMap { due in start.map { $0.days(until: due) } }
        return (lead.map { next.adding(days: -$0) }, next)
    }

    /// `anchor` moved `steps` periods on; months keep the anchor's day, clamped to the month's
    /// last day (Jan 31 → Feb 28 → Mar 31).
    func advance(_ anchor: LocalDate, steps: Int) -> LocalDate {
        switch frequency {
        case .daily: return anchor.adding(days: interval * steps)
        case .weekly: return anchor.adding(days: 7 * interval * steps)
        case .monthly:
            let (year, month, day) = anchor.components
            let index = year * 12 + (month - 1) + interval * steps
            let (newYear, newMonth) = (index / 12, index % 12 + 1)
            var candidate = day
            while LocalDate(year: newYear, month: newMonth, day: candidate) == nil { candidate -= 1 }
            return LocalDate(year: newYear, month: newMonth, day: candidate)!
        }
    }

    /// Read `{frequency, interval?, from?}`; a problem is recorded on `body` when invalid.
    static func read(_ value: JSONValue, problems: inout String?) -> Recurrence? {
        guard case .object(let fields) = value,
            let frequency = fields["frequency"]?.stringValue.flatMap(Frequency.init(rawValue:))
        else {
            problems = "must be {\"frequency\": daily|weekly|monthly, \"interval\": 1-365, \"from\": due_date|completion}"
            return nil
        }
        var interval = 1
        if let given = fields["interval"] {
            guard case .int(let number) = given, (1...365).contains(number) else {
                problems = "interval must be an integer from 1 to 365"
                return nil
            }
            interval = number
        }
        var basis = Basis.dueDate
        if let given = fields["from"] {
            guard let parsed = given.stringValue.flatMap(Basis.init(rawValue:)) else {
                problems = "from must be due_date or completion"
                return nil
            }
            basis = parsed
        }
        if let unknown = fields.keys.first(where: { !["frequency", "interval", "from"].contains($0) }) {
            problems = "has an unknown field '\(unknown.prefix(40))'"
            return nil
        }
        return Recurrence(frequency: frequency, interval: interval, from: basis)
    }
}
