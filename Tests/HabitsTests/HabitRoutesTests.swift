import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Habits

@Suite("habits: habit routes")
struct HabitRoutesTests {
    static let full = #"""
        {"name": " Drink water ", "description": "Eight a day", "schedule": {"type": "weekdays", "days": ["fri", "mon"]},
         "target": 8, "unit": "glasses", "reminder_time": "07:30", "timezone": "Europe/Berlin", "color": "#2196f3", "icon": "💧"}
        """#

    @Test func createReadUpdateDelete() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let created = try await api.send(.post, "/habits", json: Self.full, token: alice)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/habits/\(id)")
            #expect(created.json["name"] as? String == "Drink water", "trimmed")
            #expect(created.json["owner_id"] as? String == "alice")
            #expect((created.json["schedule"] as? [String: Any])?["days"] as? [String] == ["mon", "fri"])
            #expect(created.json["timezone"] as? String == "Europe/Berlin")
            #expect(created.json["archived_at"] as? String == nil)

            let minimal = try await api.send(.post, "/habits", json: #"{"name": "Read"}"#, token: alice)
            #expect((minimal.json["schedule"] as? [String: Any])?["type"] as? String == "daily")
            #expect(minimal.json["target"] as? Int == 1 && minimal.json["timezone"] as? String == "UTC")

            let read = try await api.send(.get, "/habits/\(id)", token: alice)
            #expect(read.status == .ok && read.json["unit"] as? String == "glasses")

            let patched = try await api.send(.patch, "/habits/\(id)", json: #"{"target": 6, "description": null, "schedule": {"type": "times_per_week", "times": 3}}"#, token: alice)
            #expect(patched.status == .ok, "\(patched.body)")
            #expect(patched.json["target"] as? Int == 6)
            #expect(patched.json["description"] as? String == nil, "null clears")
            #expect(patched.json["unit"] as? String == "glasses", "absent fields stay")

            #expect(try await api.send(.delete, "/habits/\(id)", token: alice).status == .noContent)
            #expect(try await api.send(.get, "/habits/\(id)", token: alice).status == .notFound)
            #expect(try await api.send(.delete, "/habits/\(id)", token: alice).status == .notFound)
            let events = try await api.pool.query("SELECT event_type FROM recorded_events ORDER BY position").rows.map { try $0.decode("event_type", as: String.self) }
            #expect(events == ["habit.created", "habit.created", "habit.updated", "habit.deleted"], "the second delete, a 404, records nothing")
        }
    }

    @Test func everyFieldIsValidated() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let bad = try await api.send(.post, "/habits", json: """
                {"name": "", "description": "\(String(repeating: "d", count: 501))", "target": 0, "unit": "", "reminder_time": "24:00",
                 "timezone": "Mars/Olympus", "color": "blue", "icon": "\(String(repeating: "i", count: 51))"}
                """, token: alice)
            #expect(bad.status == .badRequest)
            #expect(bad.errorCode == "validation_failed")
            #expect(bad.invalidFields == ["name", "description", "target", "unit", "reminder_time", "timezone", "color", "icon"], "\(bad.body)")
            let schedules = [
                #"{"type": "weekly"}"#, #"{"type": "weekdays", "days": []}"#, #"{"type": "weekdays", "days": ["mon", "mon"]}"#,
                #"{"type": "weekdays", "days": ["monday"]}"#, #"{"type": "weekdays"}"#, #"{"type": "times_per_week", "times": 8}"#,
                #"{"type": "every_n_days", "interval": 1}"#, #""daily""#,
            ]
            for schedule in schedules {
                let reply = try await api.send(.post, "/habits", json: #"{"name": "x", "schedule": \#(schedule)}"#, token: alice)
                #expect(reply.status == .badRequest && reply.invalidFields == ["schedule"], "\(schedule): \(reply.body)")
            }
            let missingName = try await api.send(.post, "/habits", json: #"{"target": 2}"#, token: alice)
            #expect(missingName.invalidFields == ["name"])
            let wrongType = try await api.send(.post, "/habits", json: #"{"name": "x", "target": "8"}"#, token: alice)
            #expect(wrongType.invalidFields == ["target"])
            #expect(try await api.send(.post, "/habits", json: "[1]", token: alice).status == .badRequest)
            #expect(try await api.send(.post, "/habits", json: "{oops", token: alice).errorCode == "invalid_json")
            #expect(try await api.send(.post, "/habits", json: #"{"name": "x"}"#, token: nil).status == .unauthorized)

            let id = try await api.createHabit(token: alice)
            #expect(try await api.send(.patch, "/habits/\(id)", json: "{}", token: alice).status == .badRequest)
            let nulls = try await api.send(.patch, "/habits/\(id)", json: #"{"name": null, "timezone": null, "target": null, "schedule": null}"#, token: alice)
            #expect(nulls.invalidFields == ["name", "timezone", "target", "schedule"], "\(nulls.body)")
            #expect(try await api.send(.patch, "/habits/not-a-uuid", json: #"{"name": "y"}"#, token: alice).status == .notFound)
            let count = try await api.pool.query("SELECT count(*) AS n FROM habits").rows[0].decode("n", as: Int.self)
            #expect(count == 1, "nothing half-written by the refused requests")
        }
    }

    @Test func listFiltersPagesAndCaches() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            for name in ["Read books", "Run", "Read papers", "Stretch"] {
                _ = try await api.createHabit(#"{"name": "\#(name)"}"#, token: alice)
            }
            let stretch = try await api.send(.get, "/habits?search=stretch", token: alice)
            let id = try #require((stretch.json["data"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await api.send(.post, "/habits/\(id)/archive", token: alice).status == .ok)

            let first = try await api.send(.get, "/habits?limit=2", token: alice)
            #expect(first.headers[.init("X-Cache")!] == "MISS")
            #expect((first.json["data"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Read books", "Run"])
            #expect((first.json["pagination"] as? [String: Any])?["total"] as? Int == 3, "archived ones are left out")
            #expect(try await api.send(.get, "/habits?limit=2", token: alice).headers[.init("X-Cache")!] == "HIT")
            let archived = try await api.send(.get, "/habits?archived=true", token: alice)
            #expect((archived.json["data"] as? [[String: Any]])?.count == 1)
            let all = try await api.send(.get, "/habits?archived=all&search=read", token: alice)
            #expect((all.json["pagination"] as? [String: Any])?["total"] as? Int == 2)
            let wildcard = try await api.send(.get, "/habits?search=%25", token: alice)
            #expect((wildcard.json["pagination"] as? [String: Any])?["total"] as? Int == 0, "% is a character, not a wildcard")

            // A write drops the cached list.
            _ = try await api.createHabit(#"{"name": "Swim"}"#, token: alice)
            let fresh = try await api.send(.get, "/habits?limit=2", token: alice)
            #expect(fresh.headers[.init("X-Cache")!] == "MISS")
            #expect((fresh.json["pagination"] as? [String: Any])?["total"] as? Int == 4)

            let bad = try await api.send(.get, "/habits?archived=maybe&limit=0", token: alice)
            #expect(bad.status == .badRequest && bad.errorCode == "invalid_query")
            #expect(try await api.send(.get, "/habits?user_id=bob", token: alice).status == .forbidden)
        }
    }

    @Test func archiveUnarchiveAndTheActiveLimit() async throws {
        try await HabitsHarness.run(environment: ["HABITS_MAX_ACTIVE_PER_USER": "3"]) { api in
            let alice = try await api.token()
            var ids = [String]()
            for index in 1...3 { ids.append(try await api.createHabit(#"{"name": "Habit \#(index)"}"#, token: alice)) }
            let fourth = try await api.send(.post, "/habits", json: #"{"name": "One too many"}"#, token: alice)
            #expect(fourth.status == .conflict && fourth.errorCode == "habit_limit_reached")
            #expect(fourth.json["message"] as? String == "You already have 3 active habits, the most allowed is 3. Archive or delete one first.")

            let archived = try await api.send(.post, "/habits/\(ids[0])/archive", token: alice)
            #expect(archived.status == .ok && archived.json["archived_at"] as? String != nil)
            #expect(try await api.send(.post, "/habits/\(ids[0])/archive", token: alice).status == .ok, "archiving twice is a no-op")
            let replacement = try await api.createHabit(#"{"name": "Replacement"}"#, token: alice)
            let unarchive = try await api.send(.post, "/habits/\(ids[0])/unarchive", token: alice)
            #expect(unarchive.status == .conflict && unarchive.errorCode == "habit_limit_reached", "un-archiving needs room too")
            #expect(try await api.send(.delete, "/habits/\(replacement)", token: alice).status == .noContent)
            let active = try await api.send(.post, "/habits/\(ids[0])/unarchive", token: alice)
            #expect(active.status == .ok && active.json["archived_at"] as? String == nil)
            let pauses = try await api.pool.query("SELECT count(*) AS n FROM habit_pauses WHERE ends_on IS NOT NULL").rows[0].decode("n", as: Int.self)
            #expect(pauses == 1, "the archived span is remembered")
            // Another user has their own budget.
            _ = try await api.createHabit(token: try await api.token("bob"))
        }
    }

    @Test func theLimitHoldsUnderConcurrentCreates() async throws {
        try await HabitsHarness.run(environment: ["HABITS_MAX_ACTIVE_PER_USER": "5"]) { api in
            let alice = try await api.token()
            // At once, each on its own connection (the test client would queue them on one).
            let statuses = try await api.api.client.burst(
                12, "POST", "/habits", headers: [("Authorization", "Bearer \(alice)"), ("Content-Type", "application/json")], body: #"{"name": "Same"}"#
            ).map(\.status)
            #expect(statuses.count { $0 == 201 } == 5)
            #expect(statuses.count { $0 == 409 } == 7)
        }
    }
}
