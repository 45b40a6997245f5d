import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Files

@Suite("files: access, shares and links")
struct SharingTests {
    static let text = Array("quarterly numbers\n".utf8)

    @Test(arguments: FilesHarness.Backend.allCases) func accessIsTheEntityOwnersAndSharesGrantWhatTheyName(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB", members: ["vic": "viewer", "ada": "admin", "bob": "member"])
            let id = try #require(try await api.upload(Self.text, name: "q3.txt").json["id"] as? String)
            // A viewer reads the task, so reads its files and attaches new ones.
            #expect(try await api.raw(.get, "/files/\(id)/content", as: "vic").bytes == Self.text)
            #expect(try await api.upload(Self.text, name: "vic.txt", as: "vic").status == .created)
            #expect(try await api.send(.delete, "/files/\(id)", as: "vic").status == .forbidden)
            // A stranger is told nothing exists.
            let stranger: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/files/\(id)", nil), (.get, "/files/\(id)/content", nil), (.delete, "/files/\(id)", nil), (.get, "/files/\(id)/versions", nil),
                (.get, "/files/\(id)/shares", nil), (.put, "/files/\(id)/shares/zed", #"{"permissions": ["read"]}"#), (.get, "/files/\(id)/links", nil),
                (.post, "/files/\(id)/links", "{}"), (.get, "/files?entity=task:WEB-1", nil), (.post, "/files/\(id)/versions/1/restore", nil),
            ]
            for (method, path, json) in stranger {
                let reply = try await api.send(method, path, json: json, as: "zed")
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.body)")
            }
            #expect(try await api.upload(Self.text, as: "zed").status == .notFound)

            // Shared with zed to read: zed downloads, but may not delete or share on.
            let shared = try await api.send(.put, "/files/\(id)/shares/zed", json: #"{"permissions": ["read"]}"#)
            #expect(shared.status == .created, "\(shared.body)")
            #expect(try await api.send(.put, "/files/\(id)/shares/zed", json: #"{"permissions": ["read", "delete"]}"#).status == .ok)
            #expect(try await api.raw(.get, "/files/\(id)/content", as: "zed").bytes == Self.text)
            #expect((try await api.send(.get, "/files/shared-with-me", as: "zed").json["data"] as? [[String: Any]])?.count == 1)
            #expect(try await api.send(.post, "/files/\(id)/links", json: "{}", as: "zed").status == .forbidden)
            let bad = try await api.send(.put, "/files/\(id)/shares/zed", json: #"{"permissions": ["own"]}"#)
            #expect(bad.status == .badRequest && bad.invalidFields == ["permissions"])
            // bob (member) may not share alice's file; ada (admin) moderates.
            #expect(try await api.send(.put, "/files/\(id)/shares/kim", json: #"{"permissions": ["read"]}"#, as: "bob").status == .forbidden)
            #expect(try await api.send(.get, "/files/\(id)/shares", as: "ada").status == .ok)
            #expect(try await api.send(.delete, "/files/\(id)", as: "zed").status == .noContent, "zed was granted delete")
            #expect(try await api.send(.get, "/files/\(id)").status == .notFound)
            let events = try await EventCatalogue.recorded(in: api.pool)
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Files"), events: events, requireAll: false)
            #expect(problems.isEmpty && Set(events.map(\.type)).isSuperset(of: ["file.uploaded", "file.shared", "file.deleted"]), "\(problems)")
        }
    }

    @Test(arguments: FilesHarness.Backend.allCases) func shareLinksHonourPasswordExpiryRevocationAndExactlyTheirDownloadLimit(_ backend: FilesHarness.Backend) async throws {
        try await FilesHarness.run(backend) { api in
            try await api.project("WEB")
            let id = try #require(try await api.upload(Self.text, name: "q3.txt").json["id"] as? String)
            func link(_ json: String) async throws -> (path: String, id: String) {
                let created = try await api.send(.post, "/files/\(id)/links", json: json)
                #expect(created.status == .created, "\(created.body)")
                return (try #require(created.json["path"] as? String), try #require(created.json["id"] as? String))
            }
            let open = try await link("{}")
            let anonymous = try await api.raw(.get, open.path, as: nil)
            #expect(anonymous.status == .ok && anonymous.bytes == Self.text && anonymous.headers[.contentDisposition]?.contains("q3.txt") == true)
            #expect(try await api.raw(.get, "/share/not-a-real-token-at-all-000000", as: nil).status == .notFound)

            let locked = try await link(#"{"password": "correct horse"}"#)
            #expect(try await api.raw(.get, locked.path, as: nil).errorCode == "password_required")
            #expect(try await api.raw(.get, locked.path, as: nil, headers: [HTTPField.Name("X-Share-Password")!: "wrong horse"]).status == .forbidden)
            #expect(try await api.raw(.get, locked.path, as: nil, headers: [HTTPField.Name("X-Share-Password")!: "correct horse"]).bytes == Self.text)
            let listed = try #require(try await api.send(.get, "/files/\(id)/links").json["data"] as? [[String: Any]])
            #expect(listed.count == 2 && listed.allSatisfy { $0["token"] == nil } && listed[1]["has_password"] as? Bool == true)

            let limited = try await link(#"{"max_downloads": 3}"#)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<10 { group.addTask { try await api.raw(.get, limited.path, as: nil).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 3 && statuses.filter { $0 == .gone }.count == 7, "\(statuses)")
            let once = try await link(#"{"max_downloads": 1}"#)
            let badRange = try await api.raw(.get, once.path, as: nil, headers: [.range: "bytes=0-1,3-4"])
            #expect(badRange.status == .rangeNotSatisfiable)
            #expect(try await api.raw(.get, once.path, as: nil).status == .ok, "a download that never began is not spent")
            #expect(try await api.raw(.get, once.path, as: nil).status == .gone)

            #expect(try await api.send(.delete, "/files/\(id)/links/\(open.id)").status == .noContent)
            #expect(try await api.raw(.get, open.path, as: nil).errorCode == "link_gone")

            let soon = try await link(#"{"expires_at": "\#(RFC3339.format(Date().addingTimeInterval(1)))"}"#)
            try await waitUntil("the link expires") { try await api.raw(.get, soon.path, as: nil).status == .gone }
            for json in [#"{"expires_at": "2001-01-01T00:00:00Z"}"#, #"{"password": "short"}"#, #"{"max_downloads": 0}"#, #"{"colour": 1}"#] {
                #expect(try await api.send(.post, "/files/\(id)/links", json: json).status == .badRequest, "\(json)")
            }
        }
    }
}
