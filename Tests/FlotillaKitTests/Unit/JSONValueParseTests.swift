import FlotillaKit
import Foundation
import Testing

/// `JSONValue.parse` reads what Codable reads, the same way, and refuses what is not JSON.
@Suite("JSONValue parsing")
struct JSONValueParseTests {
    @Test(arguments: [
        #"{"movement":"automatic","diameter":41,"ratio":0.5,"ok":true,"no":false,"none":null}"#,
        #"[1,-2,3.25,-0.5,"x",[],{},[[[]]]]"#,
        #"  {"nested": {"list": [ {"a": 1}, {"b": [true, null]} ]}}  "#,
        #""plain""#, "42", "-7", "1.5E-3", "true", "null",
        #"{"escapes":"q\" b\\ s\/ \b\f\n\r\t u\u00e9 pair\ud83d\ude00 nul-free"}"#,
        #"{"unicode":"Zürich – 東京 ✓"}"#,
        #"{"same":1,"same":2}"#,
        #"{"max":9223372036854775807,"beyond":9223372036854775808}"#,
    ])
    func readsWhatCodableReads(text: String) throws {
        let parsed = try JSONValue.parse(text)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(parsed == decoded, "\(text)")
    }

    @Test func numbersKeepTheirKind() throws {
        #expect(try JSONValue.parse("41") == .int(41))
        #expect(try JSONValue.parse("41.0") == .double(41))
        #expect(try JSONValue.parse("-0.25") == .double(-0.25))
        #expect(try JSONValue.parse("2e2") == .double(200))
    }

    @Test(arguments: [
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul",
        "\"open", "\"bad \\x escape\"", "\"\\u12\"", "\"\\ud83d alone\"", "\"\\ude00\"", "\"tab\there\"", "[1] 2", "NaN", "1e999",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: JSONParseError.self, "\(text)") { try JSONValue.parse(text) }
    }

    @Test func refusesNestingBeyond512Levels() throws {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 600) + String(repeating: "]", count: 600)) }
        _ = try JSONValue.parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500))
    }

    @Test func saysWhereTheTextWentWrong() {
        let error = #expect(throws: JSONParseError.self) { try JSONValue.parse(#"{"a": tru}"#) }
        #expect(error?.offset == 6)
    }
}
