import FlotillaKit
import Foundation
import Testing

/// `JSONValue.jsonText` writes what the kit's `JSONEncoder` writes (sorted keys, slashes
/// unescaped), and what it writes parses back to the same value.
@Suite("JSONValue text")
struct JSONValueTextTests {
    @Test(arguments: [
        #"{"movement":"automatic","diameter":41,"ratio":0.5,"ok":true,"no":false,"none":null}"#,
        #"[1,-2,3.25,-0.5,"x",[],{},[[[]]]]"#,
        #"{"b":{"list":[{"a":1},{"b":[true,null]}]},"a":"z","B":0,"é":1,"e":2}"#,
        #"{"escapes":"q\" b\\ s/ \n\r\t u\u00e9 😀"}"#,
        #"{"unicode":"Zürich – 東京 ✓","url":"https://example.com/a/b"}"#,
        #"{"max":9223372036854775807,"min":-9223372036854775808,"tiny":1.5e-300,"big":1e300,"third":0.3333333333333333}"#,
    ])
    func writesWhatTheEncoderWrites(text: String) throws {
        let value = try JSONValue.parse(text)
        let encoded = String(decoding: try JSONResponse.makeEncoder().encode(value), as: UTF8.self)
        #expect(value.jsonText == encoded, "\(text)")
        #expect(try JSONValue.parse(value.jsonText) == value, "\(text) round-trips")
    }

    @Test func wholeDoublesAreWrittenAsTheEncoderWritesThem() throws {
        let value = JSONValue.object(["whole": .double(2), "negative": .double(-100), "past2to53": .double(1e16)])
        let encoded = String(decoding: try JSONResponse.makeEncoder().encode(value), as: UTF8.self)
        #expect(value.jsonText == encoded)
        #expect(value.jsonText.hasPrefix(#"{"negative":-100,"#), "no fraction, so it reads back as an integer (as with Codable)")
    }

    @Test func controlCharactersAreEscapedAndReadBack() throws {
        let value = JSONValue.object(["text": .string("bell\u{7} back\u{8} feed\u{c} del\u{7F} nul-free")])
        #expect(!value.jsonText.unicodeScalars.contains { $0.value < 0x20 }, "no raw control character in \(value.jsonText)")
        #expect(try JSONValue.parse(value.jsonText) == value)
    }

    @Test func nonFiniteNumbersAreNull() {
        #expect(JSONValue.array([.double(.nan), .double(.infinity), .double(-.infinity)]).jsonText == "[null,null,null]")
    }
}
