import FlotillaKit
import Hummingbird

/// `from` and `to` (inclusive local dates, `YYYY-MM-DD`) of a listing or calendar: the
/// `defaultDays` ending today when absent, at most `maxDays` long, `from` not after `to`.
struct DateRangeQuery: Sendable, Equatable {
    let from: LocalDate
    let to: LocalDate

    init(_ request: Request, today: LocalDate, defaultDays: Int, maxDays: Int) throws(APIError) {
        var query = QueryReader(request)
        func date(_ name: String) -> LocalDate? {
            guard let text = query.raw(name) else { return nil }
            guard let date = LocalDate(text) else {
                query.record(name, "'\(text.prefix(40))' is not a date; use YYYY-MM-DD")
                return nil
            }
            return date
        }
        let to = date("to") ?? today
        let from = date("from") ?? to.adding(days: 1 - defaultDays)
        if from > to {
            query.record("from", "(\(from)) is after to (\(to))")
        } else if from.days(until: to) >= maxDays {
            query.record("from", "the range \(from)…\(to) is longer than \(maxDays) days")
        }
        try query.validate()
        self.from = from
        self.to = to
    }
}
