import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Tasks

@Suite("tasks: listing, filters, search and cursors")
struct TaskListTests {
    func keys(_ reply: APITestClient.Reply) -> [String] {
        (reply.json["data"] as? [[String: Any]] ?? []).compactMap { $0["key"] as? String }
    }

    @Test func everyFilterNarrowsTheList() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            let label = try #require(try await api.projects("POST", "/projects/WEB/labels", json: ##"{"name": "bug", "color": "#ff0000"}"##)["id"] as? String)
            let doing = try await api.state("Doing")
            let alice = try await api.token()
            try await api.task(#"{"project": "WEB", "title": "Invoice export", "description": "CSV and PDF", "priority": "high", "assignees": ["bob"], "due_on": "2020-01-01"}"#)
            try await api.task(#"{"project": "WEB", "title": "Login page", "label_ids": ["\#(label)"], "state_id": "\#(doing)", "due_on": "2030-06-01"}"#)
            try await api.task(#"{"project": "WEB", "title": "Exporting reports", "priority": "low", "assignees": ["alice", "bob"], "parent": "WEB-1"}"#)
            try await api.task(#"{"project": "WEB", "title": "Done already", "state_id": "\#(try await api.state("Done"))", "due_on": "2020-01-01"}"#)

            func list(_ query: String) async throws -> [String] {
                let reply = try await api.send(.get, "/tasks?project=WEB&sort=key&\(query)", token: alice)
                #expect(reply.status == .ok, "\(query): \(reply.body)")
                return keys(reply)
            }
            #expect(try await list("") == ["WEB-1", "WEB-2", "WEB-3", "WEB-4"])
            #expect(try await list("state=\(doing)") == ["WEB-2"])
            #expect(try await list("state_group=unstarted,completed") == ["WEB-1", "WEB-3", "WEB-4"])
            #expect(try await list("assignee=bob") == ["WEB-1", "WEB-3"])
            #expect(try await list("assignee=me") == ["WEB-3"])
            #expect(try await list("assignee=none") == ["WEB-2", "WEB-4"])
            #expect(try await list("label=\(label)") == ["WEB-2"])
            #expect(try await list("priority=high,low") == ["WEB-1", "WEB-3"])
            #expect(try await list("due_before=2021-01-01") == ["WEB-1", "WEB-4"])
            #expect(try await list("due_after=2021-01-01") == ["WEB-2"])
            #expect(try await list("overdue=true") == ["WEB-1"], "a completed task is not overdue")
            #expect(try await list("parent=WEB-1") == ["WEB-3"])
            #expect(try await list("parent=none") == ["WEB-1", "WEB-2", "WEB-4"])
            // Full text over title and description, stemmed: "export" finds "Exporting" and "export" in the title.
            #expect(try await list("q=export") == ["WEB-1", "WEB-3"])
            #expect(try await list("q=pdf") == ["WEB-1"], "the description is searched too")
            #expect(try await list("q=%22login%20page%22") == ["WEB-2"])
            #expect(try await list("q=nothing%20like%20this").isEmpty)

            let sorted = try await api.send(.get, "/tasks?project=WEB&sort=priority", token: alice)
            #expect(keys(sorted).first == "WEB-1", "urgent and high first")
            let due = try await api.send(.get, "/tasks?project=WEB&sort=due_date", token: alice)
            #expect(keys(due).suffix(1) == ["WEB-3"], "tasks without a due date last")
            #expect(sorted.json["total"] as? Int == 4)

            let bad = try await api.send(.get, "/tasks?project=web&state=x&state_group=doing&priority=p1&due_before=soon&sort=name&limit=0&cursor=zzz", token: alice)
            #expect(bad.status == .badRequest && bad.errorCode == "invalid_query")
            let named = Set(((bad.json["details"] as? [String: Any])?["problems"] as? [String: Any] ?? [:]).keys)
            #expect(named == ["project", "state", "state_group", "priority", "due_before", "sort", "limit", "cursor"], "\(bad.body)")
        }
    }

    @Test func theCursorWalksWithoutDuplicatesOrSkipsWhileTasksAreInserted() async throws {
        try await TasksHarness.run { api in
            try await api.project("WEB")
            let alice = try await api.token()
            for index in 1...25 {
                try await api.task(#"{"project": "WEB", "title": "Task \#(index)"}"#)
            }
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            var inserted = 0
            repeat {
                let query = "/tasks?project=WEB&sort=key&limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await api.send(.get, query, token: alice)
                #expect(page.status == .ok, "\(page.body)")
                #expect(page.json["total"] as? Int == 25 + inserted, "the total counts every matching task, now")
                seen += keys(page)
                cursor = page.json["next_cursor"] as? String
                pages += 1
                // New tasks arrive while the client walks: they sort after the first pages.
                try await api.task(#"{"project": "WEB", "title": "Late \#(pages)"}"#)
                inserted += 1
            } while cursor != nil && pages < 20
            #expect(Set(seen).count == seen.count, "no task twice")
            let expected = (1...(25 + inserted)).map { "WEB-\($0)" }
            #expect(Array(expected.prefix(seen.count)) == seen, "in key order, none skipped")
            #expect(seen.count >= 25, "every task present when the walk began was seen")

            // Newest-first pages: inserts land before the cursor, so never repeat.
            var newest: [String] = []
            cursor = nil
            pages = 0
            repeat {
                let page = try await api.send(.get, "/tasks?project=WEB&limit=10" + (cursor.map { "&cursor=\($0)" } ?? ""), token: alice)
                newest += keys(page)
                cursor = page.json["next_cursor"] as? String
                pages += 1
                try await api.task(#"{"project": "WEB", "title": "Later \#(pages)"}"#)
            } while cursor != nil && pages < 20
            #expect(Set(newest).count == newest.count && newest.count == 25 + inserted)
            let otherSort = try await api.send(.get, "/tasks?project=WEB&sort=priority&cursor=\(try #require(try await api.send(.get, "/tasks?project=WEB&limit=1", token: alice).json["next_cursor"] as? String))", token: alice)
            #expect(otherSort.status == .badRequest, "a cursor belongs to its sort")
        }
    }

    @Test func aPageIsTwoStatementsWhateverItsSize() async throws {
        // No relay polling: the only statements are the requests' (and, rarely, the totals
        // refresher's, which can only add — hence the fewest of three tries).
        try await TasksHarness.run(environment: ["EVENTS_RELAY_POLL_SECONDS": "300"]) { api in
            try await api.project("WEB", members: ["bob": "member"])
            for index in 1...30 {
                try await api.task(#"{"project": "WEB", "title": "T\#(index)", "assignees": ["bob", "alice"], "label_ids": []}"#)
            }
            let alice = try await api.token()
            func statementsRun() async throws -> Int {
                let metrics = try await api.send(.get, "/metrics", token: nil).body
                let line = metrics.split(separator: "\n").first { $0.hasPrefix("db_queries_total{") && $0.contains(#"outcome="ok""#) }
                return Int(Double(line?.split(separator: " ").last ?? "") ?? -1)
            }
            func fewestStatements(limit: Int) async throws -> Int {
                var fewest = Int.max
                for _ in 0..<3 {
                    let before = try await statementsRun()
                    let reply = try await api.send(.get, "/tasks?project=WEB&limit=\(limit)", token: alice)
                    #expect((reply.json["data"] as? [Any])?.count == limit)
                    fewest = min(fewest, try await statementsRun() - before)
                }
                return fewest
            }
            #expect(try await fewestStatements(limit: 5) == 2, "the page and its total")
            #expect(try await fewestStatements(limit: 30) == 2, "whatever the page size: assignees and labels come in the page's statement")
            let page = try await api.send(.get, "/tasks?project=WEB&limit=30", token: alice)
            let first = (page.json["data"] as? [[String: Any]])?.first
            #expect(first?["assignees"] as? [String] == ["alice", "bob"])
        }
    }
}
