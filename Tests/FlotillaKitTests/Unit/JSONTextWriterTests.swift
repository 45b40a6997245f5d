import FlotillaKit
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// `JSONTextWriter` writes the same text as the kit's `JSONEncoder` for the same value.
@Suite("JSON text writer")
struct JSONTextWriterTests {
    struct Sample: Codable, Equatable, JSONWritable {
        var at: Date
        var flag: Bool
        var items: [Item]
        var meta: [String: JSONValue]
        var name: String
        var page: PageInfo

        func write(to json: inout JSONTextWriter) {
            json.object { json in
                json.field("at", at)
                json.field("flag", flag)
                json.field("items", items)
                json.field("meta", meta)
                json.field("name", name)
                json.field("page", page)
            }
        }
    }

    struct Item: Codable, Equatable, JSONWritable {
        var count: Int
        var value: JSONValue

        func write(to json: inout JSONTextWriter) {
            json.object { json in
                json.field("count", count)
                json.field("value", value)
            }
        }
    }

    static let samples: [Sample] = [
        Sample(
            at: Date(timeIntervalSince1970: 1_796_632_467.987_654), flag: true,
            items: [Item(count: -3, value: .array([.int(1), .string("a/b"), .null])), Item(count: Int.max, value: .object(["z": .double(0.5), "a": .bool(false)]))],
            meta: ["movement": .string("automatic"), "diameter_mm": .int(41), "B": .string("upper before lower")],
            name: "Zürich \"quoted\" back\\slash\ttab\nnewline – 東京 😀",
            page: PageInfo(limit: 10, offset: 20, total: 31, hasMore: true)),
        Sample(
            at: Date(timeIntervalSince1970: -86_400.5), flag: false, items: [], meta: [:], name: "",
            page: PageInfo(limit: 1, offset: 0, total: 0, hasMore: false)),
    ]

    @Test(arguments: samples)
    func writesWhatTheEncoderWrites(sample: Sample) throws {
        let encoded = String(decoding: try JSONResponse.makeEncoder().encode(sample), as: UTF8.self)
        #expect(JSONTextWriter.text(of: sample) == encoded)
    }

    @Test func aResponseCarriesTheWrittenTextAndItsLength() async throws {
        let response = JSONResponse.make(Self.samples[0], status: .created)
        #expect(response.status == .created)
        let expected = JSONTextWriter.text(of: Self.samples[0])
        #expect(response.headers[.contentLength] == String(expected.utf8.count))
        #expect(response.headers[.contentType] == "application/json; charset=utf-8")
    }
}
