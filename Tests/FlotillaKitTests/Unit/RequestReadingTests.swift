import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import FlotillaKit

/// ``JSONObjectReader``, ``KeysetCursor`` and ``EntityTag``: how the kit reads bodies,
/// cursors and preconditions, and what it answers when they are wrong.
@Suite("request reading: JSON fields, keyset cursors, entity tags")
struct RequestReadingTests {
    func request(_ path: String, headers: HTTPFields = [:]) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "test", path: path, headerFields: headers), body: .init(buffer: ByteBuffer()))
    }

    @Test func fieldsAreAbsentClearedOrSetAndEveryProblemIsNamed() throws {
        var body = JSONObjectReader([
            "title": " Fix it ", "description": .null, "priority": "p0", "points": .int(1000), "due": "2026-02-30",
            "tags": .array(["a", "a", "b"]), "done": "yes", "typo": .int(1),
        ])
        let title = body.string("title", required: true, length: 1...10)
        let description = body.string("description", length: 0...100)
        let missing = body.string("missing")
        let priority = body.choice("priority", in: ["high", "low"])
        let points = body.integer("points", in: 0...100)
        let due = body.date("due")
        let tags = body.strings("tags", maxCount: 5)
        let done = body.bool("done")
        let required = body.integer("count", in: 0...10, required: true)
        #expect(title.value == "Fix it", "trimmed")
        #expect(description.isClear && description.isPresent)
        #expect(!missing.isPresent)
        #expect(tags.value == ["a", "b"], "duplicates dropped, order kept")
        #expect(priority.value == nil && points.value == nil && due.value == nil && done.value == nil && required.value == nil)
        #expect(throws: APIError.self) { try body.validate() }
        do {
            try body.validate()
        } catch {
            var fields: Set<String> = []
            if case .object(let named)? = error.details?["fields"] { fields = Set(named.keys) }
            #expect(fields == ["priority", "points", "due", "done", "count", "typo"])
            #expect(error.message.contains("typo is not a field this request accepts"))
            #expect(error.message.contains("priority must be one of high, low"))
        }
    }

    @Test func aCleanBodyValidates() throws {
        var body = JSONObjectReader(["name": "Ada", "age": .int(36)])
        #expect(body.string("name").value == "Ada" && body.integer("age", in: 0...150).value == 36)
        try body.validate()
        #expect(JSONObjectReader([:]).isEmpty)
    }

    @Test func aCursorRoundTripsForItsSortOnly() throws {
        let cursor = KeysetCursor(sort: "-updated_at", values: ["2026-12-06 10:00:00+00", "0c2f…"])
        var query = QueryReader(request("/?cursor=\(cursor.token)"))
        #expect(KeysetCursor.read(&query, sort: "-updated_at", columns: 2) == cursor)
        try query.validate()

        var otherSort = QueryReader(request("/?cursor=\(cursor.token)"))
        #expect(KeysetCursor.read(&otherSort, sort: "priority", columns: 2) == nil)
        #expect(otherSort.problems["cursor"]?.contains("keep the same sort") == true)
        var forged = QueryReader(request("/?cursor=bm90LWEtY3Vyc29y"))
        #expect(KeysetCursor.read(&forged, sort: "-updated_at", columns: 2) == nil && forged.problems["cursor"] != nil)
        var wrongShape = QueryReader(request("/?cursor=\(cursor.token)"))
        #expect(KeysetCursor.read(&wrongShape, sort: "-updated_at", columns: 3) == nil && wrongShape.problems["cursor"] != nil)
        var none = QueryReader(request("/"))
        #expect(KeysetCursor.read(&none, sort: "-updated_at", columns: 2) == nil && none.problems.isEmpty)
    }

    @Test func ifMatchNamingAnotherVersionIs412() throws {
        let tag = EntityTag(version: 3)
        #expect(tag.value == "\"3\"")
        try tag.check(request("/"))
        for header in ["\"3\"", "W/\"3\"", "*", "\"1\", \"3\""] {
            try tag.check(request("/", headers: [.ifMatch: header]))
        }
        #expect(throws: APIError.self) { try tag.check(request("/", headers: [.ifMatch: "\"2\""])) }
        do {
            try tag.check(request("/", headers: [.ifMatch: "\"2\""]))
        } catch {
            #expect(error.status == .preconditionFailed && error.code == "precondition_failed")
            #expect(error.details?["current_etag"] == "\"3\"")
        }
        let response = tag.tagging(Response(status: .ok))
        #expect(response.headers[.eTag] == "\"3\"")
    }
}
