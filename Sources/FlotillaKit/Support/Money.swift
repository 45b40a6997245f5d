#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// An exact amount of money with at most two decimal places: a `Decimal` in Swift,
/// `NUMERIC(12,2)` in PostgreSQL, and a JSON *string* with exactly two decimals
/// (`"1234.50"`) on the wire, so no client ever parses it into a binary float. Decoding also
/// accepts a JSON number with at most two decimals, for convenience.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let amount: Decimal

    /// `text` such as `129.99`, `-5`, `0.5`; `nil` for anything else (exponents, three
    /// decimals, thousands separators, more than 10 integer digits).
    public init?(_ text: some StringProtocol) {
        let text = String(text)
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, (1...10).contains(whole.count),
            whole.allSatisfy({ $0.isASCII && $0.isNumber }),
            parts.count == 1 || ((1...2).contains(parts[1].count) && parts[1].allSatisfy({ $0.isASCII && $0.isNumber })),
            let amount = Decimal(string: text)
        else { return nil }
        self.amount = amount
    }

    public init(cents: Int) {
        self.amount = Decimal(cents) / 100
    }

    public static let zero = Money(cents: 0)

    /// Two decimals, always: `1234.50`.
    public var description: String {
        var text = "\(amount)"
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1].prefix(2)) : ""
        return (negative ? "-" : "") + parts[0] + "." + fraction + String(repeating: "0", count: 2 - fraction.count)
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.amount < rhs.amount }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(exactly: lhs.amount + rhs.amount) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(exactly: lhs.amount - rhs.amount) }
    public static func * (lhs: Money, rhs: Int) -> Money { Money(exactly: lhs.amount * Decimal(rhs)) }

    private init(exactly amount: Decimal) {
        self.amount = amount
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
