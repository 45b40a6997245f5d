import FlotillaKit

/// What time costs: an hourly rate in exact cents times seconds, rounded half up to the cent.
enum Cost {
    /// `rate` per hour for `seconds`.
    static func of(rate: Money, seconds: Int) -> Money {
        let cents = centsOf(rate)
        // cents × seconds / 3600, half up, in integers: no binary fraction ever touches money.
        let (quotient, remainder) = (cents * seconds).quotientAndRemainder(dividingBy: 3600)
        return Money(cents: quotient + (2 * remainder >= 3600 ? 1 : 0))
    }

    /// `12.50` → 1250 (rates are never negative; `Money` keeps at most two decimals).
    static func centsOf(_ money: Money) -> Int {
        let parts = money.description.split(separator: ".")
        return Int(parts[0])! * 100 + Int(parts[1])!
    }
}
