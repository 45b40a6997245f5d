import FlotillaKit
import Foundation
import Testing

@Suite("Money")
struct MoneyTests {
    @Test(arguments: [("129.99", "129.99"), ("130", "130.00"), ("0.5", "0.50"), ("-5", "-5.00"), ("0", "0.00"), ("9999999999.99", "9999999999.99")])
    func parsesAndPrintsTwoDecimals(_ text: String, _ printed: String) throws {
        #expect(try #require(Money(text)).description == printed)
    }

    @Test(arguments: ["12.345", "1e3", "1,000", "", ".5", "5.", "abc", "12345678901", "--1", "+1"])
    func refusesAnythingElse(_ text: String) {
        #expect(Money(text) == nil, "\(text)")
    }

    @Test func arithmeticIsExact() throws {
        let dime = try #require(Money("0.10"))
        #expect((dime * 3).description == "0.30")
        #expect((try #require(Money("0.10")) + #require(Money("0.20"))).description == "0.30")
        #expect(Money(cents: 1_000_001) == Money("10000.01"))
        #expect(try #require(Money("10000.00")) < #require(Money("10000.01")))
    }

    @Test func jsonIsAStringAndNumbersAreAcceptedOnInput() throws {
        let encoded = String(decoding: try JSONEncoder().encode(["price": try #require(Money("42.5"))]), as: UTF8.self)
        #expect(encoded == #"{"price":"42.50"}"#)
        #expect(try JSONDecoder().decode([String: Money].self, from: Data(#"{"p": 19.99}"#.utf8))["p"] == Money("19.99"))
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: Money].self, from: Data(#"{"p": "1.999"}"#.utf8)) }
    }
}
