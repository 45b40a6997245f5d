#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An exact amount of money with at most two decimal places: whole cents in Swift,
/// `NUMERIC(12,2)` in PostgreSQL, and a JSON *string* with exactly two decimals
/// (`"1234.50"`) on the wire, so no client ever parses it into a binary float. Decoding also
/// accepts a JSON number with at most two decimals, for convenience.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in hundredths: exact, and parsed and printed without `Decimal`'s cost
    /// (a product list parsed and printed every price).
    public let cents: Int64

    /// The amount as a `Decimal`.
    public var amount: Decimal { Decimal(cents) / 100 }

    /// `text` such as `129.99`, `-5`, `0.5`; `nil` for anything else (exponents, three
    /// decimals, thousands separators, more than 10 integer digits).
    public init?(_ text: some StringProtocol) {
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let whole = bytes.prefix { $0 != UInt8(ascii: ".") }
        let rest = bytes[whole.endIndex...]
        let fraction = rest.dropFirst()
        guard (1...10).contains(whole.count), rest.isEmpty || (1...2).contains(fraction.count),
            let wholeValue = Self.digits(whole), let fractionValue = Self.digits(fraction)
        else { return nil }
        let cents = wholeValue * 100 + (fraction.count == 1 ? fractionValue * 10 : fractionValue)
        self.cents = negative ? -cents : cents
    }

    public init(cents: Int) {
        self.cents = Int64(cents)
    }

    private init(exactly cents: Int64) {
        self.cents = cents
    }

    public static let zero = Money(cents: 0)

    /// Two decimals, always: `1234.50`.
    public var description: String {
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return (cents < 0 ? "-" : "") + String(magnitude / 100) + (fraction < 10 ? ".0" : ".") + String(fraction)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(exactly: lhs.cents + rhs.cents) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(exactly: lhs.cents - rhs.cents) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(exactly: lhs.cents * Int64(rhs)) }

    /// The value of ASCII digits (0 for none); nil if any byte is not a digit.
    private static func digits(_ bytes: Substring.UTF8View.SubSequence) -> Int64? {
        var value: Int64 = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

extension Money: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let money = Money(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not an amount with at most two decimals, such as \"129.99\"")
            }
            self = money
        } else {
            let number = try container.decode(Decimal.self)
            guard let money = Money("\(number)") else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\(number) is not an amount with at most two decimals")
            }
            self = money
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Money: PostgresEncodable, PostgresDecodable {
    public static var postgresType: UInt32 { PostgresType.numeric }
    public var postgresText: String { description }

    public init(postgresText text: String, type: UInt32) throws(PostgresDecodingFailure) {
        guard let money = Money(text) else { throw PostgresDecodingFailure("'\(text.prefix(40))' is not a two-decimal amount") }
        self = money
    }
}
