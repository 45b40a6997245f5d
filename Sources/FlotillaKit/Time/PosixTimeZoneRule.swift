/// A POSIX `TZ` rule as found in TZif footers: a standard offset and, optionally, a
/// daylight-saving offset with the rules for when it starts and ends each year
/// (`EST5EDT,M3.2.0,M11.1.0`, `<+14>-14`, `IST-1GMT0,M10.5.0,M3.5.0/1`).
struct PosixTimeZoneRule: Sendable, Equatable {
    /// A yearly moment: a day of the year and a local time of day in seconds (may be
    /// negative or past 24 h, as version 3 allows).
    struct Moment: Sendable, Equatable {
        enum Day: Sendable, Equatable {
            /// `Mm.w.d`: weekday `d` (0 = Sunday) of week `w` (5 = last) of month `m`.
            case monthWeekDay(month: Int, week: Int, weekday: Int)
            /// `Jn`: day 1–365, never counting February 29.
            case julianNoLeap(Int)
            /// `n`: day 0–365, counting February 29.
            case zeroBased(Int)
        }

        let day: Day
        let time: Int

        func date(in year: Int) -> LocalDate {
            let januaryFirst = LocalDate(year: year, month: 1, day: 1)!
            switch day {
            case .zeroBased(let n):
                return januaryFirst.adding(days: n)
            case .julianNoLeap(let n):
                return januaryFirst.adding(days: n - 1 + (LocalDate.isLeap(year) && n >= 60 ? 1 : 0))
            case .monthWeekDay(let month, let week, let weekday):
                let first = LocalDate(year: year, month: month, day: 1)!
                // `weekday` counts from Sunday = 0; ``Weekday`` from Monday = 1.
                let firstWeekday = first.weekday.rawValue % 7
                var date = first.adding(days: (weekday - firstWeekday + 7) % 7 + (week - 1) * 7)
                while date.components.month != month { date = date.adding(days: -7) }
                return date
            }
        }
    }

    let standardOffset: Int
    let daylightOffset: Int?
    let start: Moment?
    let end: Moment?

    /// Parse `text`; `nil` for anything malformed.
    init?(_ text: String) {
        var scanner = Scanner(Array(text.utf8))
        guard scanner.skipName(), let standard = scanner.offset() else { return nil }
        standardOffset = -standard
        guard !scanner.atEnd else {
            daylightOffset = nil
            start = nil
            end = nil
            return
        }
        guard scanner.skipName() else { return nil }
        if scanner.peek != UInt8(ascii: ","), !scanner.atEnd {
            guard let daylight = scanner.offset() else { return nil }
            daylightOffset = -daylight
        } else {
            daylightOffset = standardOffset + 3600
        }
        guard scanner.take(","), let start = scanner.moment(), scanner.take(","), let end = scanner.moment(), scanner.atEnd else { return nil }
        self.start = start
        self.end = end
    }

    func secondsFromUTC(at instant: Int64) -> Int {
        guard let daylightOffset, let start, let end else { return standardOffset }
        let year = LocalDate(daysSinceEpoch: Int((instant + Int64(standardOffset)).floorDivided(by: 86_400))).components.year
        // Rules are in local time: the start in standard time, the end in daylight time.
        let starts = Int64(start.date(in: year).daysSinceEpoch) * 86_400 + Int64(start.time - standardOffset)
        let ends = Int64(end.date(in: year).daysSinceEpoch) * 86_400 + Int64(end.time - daylightOffset)
        let inDaylight = starts < ends ? (starts <= instant && instant < ends) : !(ends <= instant && instant < starts)
        return inDaylight ? daylightOffset : standardOffset
    }
}

/// Reads the pieces of a POSIX TZ string.
private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var atEnd: Bool { position >= bytes.count }
    var peek: UInt8? { atEnd ? nil : bytes[position] }

    mutating func take(_ character: Character) -> Bool {
        guard peek == character.asciiValue else { return false }
        position += 1
        return true
    }

    /// `<+14>` or at least three letters.
    mutating func skipName() -> Bool {
        if take("<") {
            guard let close = bytes[position...].firstIndex(of: UInt8(ascii: ">")) else { return false }
            position = close + 1
            return true
        }
        let start = position
        while let byte = peek, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte.asciiLowercased) {
            position += 1
        }
        return position - start >= 3
    }

    mutating func number() -> Int? {
        let start = position
        var value = 0
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            position += 1
        }
        return position > start ? value : nil
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    mutating func offset() -> Int? {
        var sign = 1
        if take("-") { sign = -1 } else { _ = take("+") }
        guard let hours = number() else { return nil }
        var seconds = hours * 3600
        if take(":") {
            guard let minutes = number() else { return nil }
            seconds += minutes * 60
            if take(":") {
                guard let rest = number() else { return nil }
                seconds += rest
            }
        }
        return sign * seconds
    }

    /// `Mm.w.d[/time]`, `Jn[/time]` or `n[/time]`; the time defaults to 02:00.
    mutating func moment() -> PosixTimeZoneRule.Moment? {
        let day: PosixTimeZoneRule.Moment.Day
        if take("M") {
            guard let month = number(), take("."), let week = number(), take("."), let weekday = number(),
                (1...12).contains(month), (1...5).contains(week), (0...6).contains(weekday)
            else { return nil }
            day = .monthWeekDay(month: month, week: week, weekday: weekday)
        } else if take("J") {
            guard let n = number(), (1...365).contains(n) else { return nil }
            day = .julianNoLeap(n)
        } else {
            guard let n = number(), (0...365).contains(n) else { return nil }
            day = .zeroBased(n)
        }
        var time = 7200
        if take("/") {
            guard let value = offset() else { return nil }
            time = value
        }
        return PosixTimeZoneRule.Moment(day: day, time: time)
    }
}
