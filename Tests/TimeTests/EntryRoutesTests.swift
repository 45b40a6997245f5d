import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Time

@Suite("time: entries")
struct EntryRoutesTests {
    @Test func logReadChangeAndDeleteOwnEntries() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB", members: ["bob": "member", "vic": "viewer"])
            let task = try await api.call(api.tasks, "POST", "/tasks", json: #"{"project": "WEB", "title": "Page templates"}"#)
            let key = try #require(task["key"] as? String)

            let logged = try await api.log(#"{"project": "WEB", "task": "\#(key)", "started_at": "2026-11-30T09:00:00Z", "duration": "2:27", "tags": ["frontend"]}"#)
            #expect(logged.status == .created, "\(logged.body)")
            #expect(logged.json["duration_seconds"] as? Int == 8820 && logged.json["ended_at"] as? String == "2026-11-30T11:27:00Z")
            #expect(logged.json["week"] as? String == "2026-W49" && logged.json["task"] as? String == key && logged.json["cost"] is NSNull)
            let id = try #require(logged.json["id"] as? String)
            for duration in [#""90m""#, #""1h30m""#, "5400"] {
                let other = try await api.log(#"{"project": "WEB", "started_at": "2026-12-01T09:00:00Z", "duration": \#(duration)}"#)
                #expect(other.json["duration_seconds"] as? Int == 5400, "\(duration): \(other.body)")
                _ = try await api.send(.delete, "/time-entries/\(try #require(other.json["id"] as? String))")
            }

            #expect(try await api.send(.get, "/time-entries/\(id)").json["id"] as? String == id)
            #expect(try await api.send(.get, "/time-entries/\(id)", as: "bob").status == .notFound, "someone else's entry is not there")
            #expect(try await api.send(.patch, "/time-entries/\(id)", json: #"{"description": "x"}"#, as: "bob").status == .notFound)
            #expect(try await api.send(.delete, "/time-entries/\(id)", as: "bob").status == .notFound)
            let list = try await api.send(.get, "/time-entries?from=2026-11-29&to=2026-12-06").json["data"] as? [[String: Any]] ?? []
            #expect(list.compactMap { $0["id"] as? String } == [id])

            let moved = try await api.send(.patch, "/time-entries/\(id)", json: #"{"started_at": "2026-11-30T13:00:00Z", "description": "Templates", "task": null}"#)
            #expect(moved.json["started_at"] as? String == "2026-11-30T13:00:00Z" && moved.json["ended_at"] as? String == "2026-11-30T15:27:00Z", "\(moved.body)")
            #expect(moved.json["task"] is NSNull && moved.json["description"] as? String == "Templates")
            #expect(try await api.send(.delete, "/time-entries/\(id)").status == .noContent)
            #expect(try await api.send(.get, "/time-entries/\(id)").status == .notFound)
        }
    }

    @Test func everyBadFieldIsNamedAndNothingIsWritten() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB", members: ["vic": "viewer"])
            try await api.project("OPS", owner: "zed")
            let bad = try await api.log(#"{"project": "web", "started_at": "yesterday", "duration": "2:99", "billable": "yes", "colour": 1}"#)
            #expect(bad.status == .badRequest && bad.invalidFields == ["project", "started_at", "duration", "billable", "colour"], "\(bad.body)")
            let backwards = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:00:00Z", "ended_at": "2026-11-30T09:00:00Z"}"#)
            #expect(backwards.status == .badRequest && backwards.invalidFields == ["ended_at"])
            let both = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:00:00Z", "ended_at": "2026-11-30T11:00:00Z", "duration": 60}"#)
            #expect(both.invalidFields == ["duration"])
            let open = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:00:00Z"}"#)
            #expect(open.invalidFields == ["ended_at"], "a running entry is a timer")
            #expect(try await api.log(#"{"project": "OPS", "started_at": "2026-11-30T10:00:00Z", "duration": 60}"#).status == .notFound, "not a member")
            let viewer = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:00:00Z", "duration": 60}"#, as: "vic")
            #expect(viewer.status == .forbidden, "viewers do not log time")
            let noTask = try await api.log(#"{"project": "WEB", "task": "WEB-999", "started_at": "2026-11-30T10:00:00Z", "duration": 60}"#)
            #expect(noTask.status == .badRequest && noTask.invalidFields == ["task"])
            let elsewhere = try await api.call(api.tasks, "POST", "/tasks", json: #"{"project": "OPS", "title": "Pager"}"#, as: "zed")
            try await api.call(api.projects, "POST", "/projects/OPS/members", json: #"{"user_id": "alice", "role": "member"}"#, as: "zed")
            let wrongProject = try await api.log(#"{"project": "WEB", "task": "\#(elsewhere["key"] as? String ?? "")", "started_at": "2026-11-30T10:00:00Z", "duration": 60}"#)
            #expect(wrongProject.status == .badRequest && (wrongProject.json["message"] as? String)?.contains("not in project WEB") == true, "\(wrongProject.body)")
            #expect(try await api.send(.get, "/time-entries/not-a-uuid").status == .notFound)
            #expect(try await api.send(.get, "/time-entries?from=soon").status == .badRequest)
            let count = try await api.pool.query("SELECT count(*)::int AS n FROM time_entries").rows[0].decode("n", as: Int.self)
            #expect(count == 0)
        }
    }

    @Test func entriesOfOnePersonDoNotOverlapUnlessAllowed() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "ended_at": "2026-11-30T11:00:00Z"}"#).status == .created)
            let clash = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:30:00Z", "ended_at": "2026-11-30T12:00:00Z"}"#)
            #expect(clash.status == .conflict && clash.errorCode == "overlap" && (clash.json["message"] as? String)?.contains("2026-11-30T09:00:00.000Z") == true)
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T11:00:00Z", "ended_at": "2026-11-30T12:00:00Z"}"#).status == .created, "touching is fine")
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:00:00Z", "duration": "1h"}"#, as: "bob").status == .created, "others' entries do not count")
        }
        try await TimeHarness.run(environment: ["TIME_ALLOW_OVERLAP": "true"]) { api in
            try await api.project("WEB")
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "2h"}"#).status == .created)
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T10:00:00Z", "duration": "2h"}"#).status == .created)
        }
    }

    @Test func anOutsiderOfTheProjectFindsNothing() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            try await api.project("OPS", owner: "mallory")
            let entry = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "1h"}"#)
            let id = try #require(entry.json["id"] as? String)
            let routes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/time-entries/\(id)", nil), (.patch, "/time-entries/\(id)", #"{"project": "OPS"}"#), (.delete, "/time-entries/\(id)", nil),
                (.get, "/time-settings/WEB", nil), (.patch, "/time-settings/WEB", #"{"hourly_rate": "1.00"}"#),
                (.put, "/time-settings/WEB/rates/alice", #"{"hourly_rate": "1.00"}"#), (.delete, "/time-settings/WEB/rates/alice", nil),
                (.post, "/timers", #"{"project": "WEB"}"#), (.post, "/time-entries", #"{"project": "WEB", "started_at": "2026-11-30T12:00:00Z", "duration": 60}"#),
                (.get, "/time-reports?from=2026-11-30&to=2026-11-30&project=WEB", nil), (.get, "/timesheets/2026-W49?user=alice", nil),
            ]
            for (method, path, body) in routes {
                let reply = try await api.send(method, path, json: body, as: "mallory")
                #expect(reply.status == .notFound, "\(method) \(path): \(reply.status) \(reply.body)")
            }
            let approve = try await api.send(.post, "/timesheets/2026-W49/approve", json: #"{"user_id": "alice"}"#, as: "mallory")
            #expect(approve.status == .forbidden, "\(approve.body)")
            #expect(try await api.send(.get, "/time-entries/\(id)").json["duration_seconds"] as? Int == 3600, "nothing changed")
        }
    }

    @Test func listsTakeDaysInTheCallersZone() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            try await api.zone("Europe/Berlin", for: "alice")
            // 30 November 00:30 in Berlin, still 29 November in UTC.
            let entry = try await api.log(#"{"project": "WEB", "started_at": "2026-11-29T23:30:00Z", "duration": "30m"}"#)
            #expect(entry.json["week"] as? String == "2026-W49", "the week of Monday 30 November, in Berlin")
            let monday = try await api.send(.get, "/time-entries?from=2026-11-30&to=2026-11-30").json["data"] as? [Any]
            let sunday = try await api.send(.get, "/time-entries?from=2026-11-29&to=2026-11-29").json["data"] as? [Any]
            #expect(monday?.count == 1 && sunday?.count == 0)
        }
    }
}
