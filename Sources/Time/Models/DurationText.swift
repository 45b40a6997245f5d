import FlotillaKit

/// Durations as people type them (Kimai's formats): `2:27` (hours:minutes), `2:27:30`,
/// `2h27m`, `2h 27m`, `90m`, `45s`, `1h30m15s`, or a number of seconds (`5400`).
enum DurationText {
    /// At most a week: no single entry is longer.
    static let maximum = 7 * 86_400

    /// The seconds `text` means, or nil when it is not a duration (or is longer than ``maximum``).
    static func seconds(_ text: String) -> Int? {
        let text = text.filter { $0 != " " }
        guard !text.isEmpty, text.count <= 20 else { return nil }
        let seconds: Int?
        if text.allSatisfy(\.isASCIIDigit) {
            seconds = Int(text)
        } else if text.contains(":") {
            seconds = clock(text)
        } else {
            seconds = units(text)
        }
        guard let seconds, seconds <= maximum else { return nil }
        return seconds
    }

    /// `H:MM` or `H:MM:SS`.
    private static func clock(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
              parts.dropFirst().allSatisfy({ $0.count == 2 }), let hours = Int(parts[0]), parts[0].count <= 3
        else { return nil }
        let rest = parts.dropFirst().compactMap { Int($0) }
        guard rest.allSatisfy({ $0 < 60 }) else { return nil }
        return hours * 3600 + rest[0] * 60 + (rest.count > 1 ? rest[1] : 0)
    }

    /// `2h27m`, `90m`, `45s`: each unit at most once, in the order h, m, s.
    private static func units(_ text: String) -> Int? {
        var total = 0
        var number = ""
        var allowed: [Character] = ["h", "m", "s"]
        for character in text.lowercased() {
            if character.isASCIIDigit {
                number.append(character)
                continue
            }
            guard let index = allowed.firstIndex(of: character), !number.isEmpty, number.count <= 6, let value = Int(number) else { return nil }
            total += value * [3600, 60, 1][["h", "m", "s"].firstIndex(of: character)!]
            allowed.removeFirst(index + 1)
            number = ""
        }
        return number.isEmpty ? total : nil
    }
}
