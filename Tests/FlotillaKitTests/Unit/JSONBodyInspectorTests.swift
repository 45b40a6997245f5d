import HTTPTypes
import Testing

@testable import FlotillaKit

@Suite("JSON body inspection: NUL characters and repeated keys")
struct JSONBodyInspectorTests {
    func inspect(_ json: String) -> JSONBodyInspector.Finding? {
        JSONBodyInspector.inspect(Array(json.utf8))
    }

    @Test func findsAnEscapedNULAndNamesItsField() {
        #expect(inspect(#"{"name":"ab\u0000cd"}"#) == .nulCharacter(path: "name"))
        #expect(inspect(#"{"metadata":{"strap":{"colour":"bl\u0000ue"}}}"#) == .nulCharacter(path: "metadata.strap.colour"))
        #expect(inspect(#"{"items":[{"id":"a"},{"id":"b","note":"x\u0000"}]}"#) == .nulCharacter(path: "items[1].note"))
        #expect(inspect(#"["ok","\u0000"]"#) == .nulCharacter(path: "[1]"))
        #expect(inspect(#""\u0000""#) == .nulCharacter(path: "(body)"))
    }

    @Test func findsANULInAKey() {
        #expect(inspect(#"{"address":{"str\u0000eet":"x"}}"#) == .nulCharacter(path: "address.str\u{0}eet"))
    }

    @Test func anEscapedBackslashBeforeU0000IsText() {
        // `\\u0000` is a backslash followed by the characters u0000, not a NUL.
        #expect(inspect(#"{"path":"C:\\u0000","n":1}"#) == nil)
        #expect(inspect(#"{"a":"\u00001"}"#) == .nulCharacter(path: "a"))
        #expect(inspect(#"{"a":"\u0001 \u1000 \"quoted\" \\"}"#) == nil)
    }

    @Test func findsAKeyGivenTwiceInOneObject() {
        #expect(inspect(#"{"quantity":1,"quantity":100}"#) == .duplicateKey(path: "quantity"))
        #expect(inspect(#"{"a":{"b":1,"c":2,"b":3}}"#) == .duplicateKey(path: "a.b"))
        // The same key written two ways is still the same key.
        #expect(inspect(#"{"role":"member","r\u006fle":"admin"}"#) == .duplicateKey(path: "role"))
        // The same key in different objects is fine.
        #expect(inspect(#"[{"id":1},{"id":2}]"#) == nil)
        #expect(inspect(#"{"a":{"id":1},"b":{"id":2},"id":3}"#) == nil)
    }

    @Test func cleanAndMalformedBodiesAreLeftToTheDecoder() {
        #expect(inspect(#"{"name":"watch","price":12.5,"tags":["a","b"],"gift":true,"note":null}"#) == nil)
        #expect(inspect("  [ ]  ") == nil)
        #expect(inspect("{}") == nil)
        #expect(inspect(#"{"a":"unterminated"#) == nil)
        #expect(inspect(#"{"a" 1}"#) == nil)
        #expect(inspect(String(repeating: "[", count: 10_000)) == nil)
    }

    @Test func theRefusalsAre400sNamingTheField() {
        let nul = JSONBodyInspector.Finding.nulCharacter(path: "metadata.colour").apiError
        #expect(nul.status == .badRequest)
        #expect(nul.code == "validation_failed")
        #expect(nul.details?["field"] == .string("metadata.colour"))
        #expect(nul.message.contains("NUL"))
        let duplicate = JSONBodyInspector.Finding.duplicateKey(path: "quantity").apiError
        #expect(duplicate.status == .badRequest)
        #expect(duplicate.code == "invalid_json")
        #expect(duplicate.details?["field"] == .string("quantity"))
    }
}
