/// A wall-clock time `HH:MM`, as minutes after midnight.
struct ClockTime: Sendable, Equatable, Comparable, CustomStringConvertible {
    let minute: Int

    init?(minute: Int) {
        guard (0..<1440).contains(minute) else { return nil }
        self.minute = minute
    }

    /// Parse `HH:MM` (24-hour, two digits each).
    init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.minute = hour * 60 + minute
    }

    var description: String {
        let hour = minute / 60, rest = minute % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minute < rhs.minute }
}
