import FlotillaKit
import Foundation
import Testing

@Suite("kit: entity references")
struct EntityReferenceTests {
    @Test(arguments: [
        ("task:WEB-142", "tasks", "/tasks/WEB-142", "WEB"),
        ("project:WEB", "projects", "/projects/WEB", "WEB"),
        ("task:ABCDEFGHIJ-1", "tasks", "/tasks/ABCDEFGHIJ-1", "ABCDEFGHIJ"),
    ])
    func aReferenceNamesItsOwnerPathAndProject(_ text: String, _ owner: String, _ path: String, _ project: String) throws {
        let reference = try #require(EntityReference(text))
        #expect(reference.kind.owner == owner && reference.kind.path(reference.id) == path && reference.project == project)
        #expect(reference.description == text)
    }

    @Test(arguments: ["task:web-1", "task:WEB-0", "task:WEB-01", "task:WEB", "task:W-1", "project:WEB-1", "issue:WEB-1", "WEB-1", "task:", ":WEB",
                      "task:WEB-1234567890", "task:WEB-1 ", "task:WEB-١"])
    func anythingElseIsRefused(_ text: String) {
        #expect(EntityReference(text) == nil)
    }

    @Test func itTravelsAsItsText() throws {
        let encoded = try JSONEncoder().encode(["entity": EntityReference(kind: .task, id: "WEB-7")])
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"entity":"task:WEB-7"}"#)
        #expect(try JSONDecoder().decode([String: EntityReference].self, from: encoded)["entity"]?.project == "WEB")
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([String: EntityReference].self, from: Data(#"{"e":"bug:1"}"#.utf8)) }
    }
}
