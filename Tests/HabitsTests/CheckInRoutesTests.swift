import FlotillaKit
import FlotillaKitTesting
import HTTPTypes
import Testing

@testable import Habits

@Suite("habits: check-ins and progress routes")
struct CheckInRoutesTests {
    static let today = HabitsHarness.today

    static func day(_ offset: Int) -> String {
        today.adding(days: offset).description
    }

    @Test func checkInUndoAndList() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let id = try await api.createHabit(#"{"name": "Water", "target": 8, "unit": "glasses"}"#, token: alice)
            let first = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", json: #"{"value": 8, "note": "done"}"#, token: alice)
            #expect(first.status == .created, "\(first.body)")
            #expect(first.json["value"] as? Int == 8 && first.json["current_streak"] as? Int == 1 && first.json["streak_extended"] as? Bool == true)
            let again = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", json: #"{"value": 5}"#, token: alice)
            #expect(again.status == .ok && again.json["value"] as? Int == 5 && again.json["current_streak"] as? Int == 0, "below target today: open")
            let noBody = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(-1))", token: alice)
            #expect(noBody.status == .created && noBody.json["value"] as? Int == 1)

            let listed = try await api.send(.get, "/habits/\(id)/check-ins?from=\(Self.day(-7))&to=\(Self.day(0))", token: alice)
            #expect((listed.json["data"] as? [[String: Any]])?.map { $0["date"] as? String } == [Self.day(-1), Self.day(0)])
            #expect(try await api.send(.delete, "/habits/\(id)/check-ins/\(Self.day(-1))", token: alice).status == .noContent)
            let gone = try await api.send(.delete, "/habits/\(id)/check-ins/\(Self.day(-1))", token: alice)
            #expect(gone.status == .notFound)
            let defaultRange = try await api.send(.get, "/habits/\(id)/check-ins", token: alice)
            #expect(defaultRange.json["from"] as? String == Self.day(-29) && defaultRange.json["to"] as? String == Self.day(0))

            let metrics = try await api.send(.get, "/metrics", token: nil)
            #expect(metrics.body.contains(#"habits_check_ins_total{result="created"} 2"#))
            #expect(metrics.body.contains(#"habits_check_ins_total{result="updated"} 1"#))
            #expect(metrics.body.contains(#"habits_check_ins_total{result="undone"} 1"#))
            // The second check-in lowered today below the target; the third (1 glass of 8) met nothing.
            let events = try await api.pool.query("SELECT event_type FROM recorded_events ORDER BY position").rows
            #expect(try events.map { try $0.decode("event_type", as: String.self) } == [
                "habit.created", "habit.checked_in", "habit.streak_extended", "habit.checked_in", "habit.checked_in",
            ])
        }
    }

    @Test func checkInFailureModes() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let id = try await api.createHabit(token: alice)
            let future = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(1))", token: alice)
            #expect(future.status == .badRequest && future.errorCode == "date_in_future")
            let old = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(-31))", token: alice)
            #expect(old.status == .badRequest && old.errorCode == "date_too_old")
            #expect(try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(-30))", token: alice).status == .created, "30 days back is allowed")
            let badDate = try await api.send(.put, "/habits/\(id)/check-ins/2024-02-30", token: alice)
            #expect(badDate.status == .badRequest && badDate.errorCode == "validation_failed")
            let badValue = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", json: #"{"value": 0, "note": "\#(String(repeating: "n", count: 501))"}"#, token: alice)
            #expect(badValue.invalidFields == ["value", "note"])
            let text = try await api.api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", json: "value=1", token: alice, headers: [.contentType: "text/plain"])
            #expect(text.status == .unsupportedMediaType)
            #expect(try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", token: nil).status == .unauthorized)
            #expect(try await api.send(.put, "/habits/00000000-0000-4000-8000-000000000000/check-ins/\(Self.day(0))", token: alice).status == .notFound)
            let range = try await api.send(.get, "/habits/\(id)/check-ins?from=\(Self.day(0))&to=\(Self.day(-1))", token: alice)
            #expect(range.status == .badRequest && range.errorCode == "invalid_query")
            #expect(try await api.send(.get, "/habits/\(id)/check-ins?from=2020-01-01&to=2024-01-01", token: alice).status == .badRequest)
            #expect(try await api.send(.get, "/habits/\(id)/check-ins?from=yesterday", token: alice).status == .badRequest)

            _ = try await api.send(.post, "/habits/\(id)/archive", token: alice)
            let archived = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", token: alice)
            #expect(archived.status == .conflict && archived.errorCode == "habit_archived")
            let rows = try await api.pool.query("SELECT count(*) AS n FROM check_ins").rows[0].decode("n", as: Int.self)
            #expect(rows == 1, "only the one valid check-in was written")
        }
    }

    @Test func twentyIdenticalConcurrentCheckInsLeaveOneRow() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let id = try await api.createHabit(token: alice)
            let statuses = try await api.api.client.burst(
                20, "PUT", "/habits/\(id)/check-ins/\(Self.day(0))",
                headers: [("Authorization", "Bearer \(alice)"), ("Content-Type", "application/json")], body: #"{"value": 1}"#
            ).map(\.status)
            #expect(statuses.count { $0 == 201 } == 1 && statuses.count { $0 == 200 } == 19, "\(statuses)")
            let rows = try await api.pool.query("SELECT count(*) AS n FROM check_ins").rows[0].decode("n", as: Int.self)
            #expect(rows == 1)
            let events = try await api.pool.query("SELECT count(*) AS n FROM recorded_events WHERE event_type = 'habit.checked_in'").rows[0].decode("n", as: Int.self)
            #expect(events == 1, "repeats change nothing, so they record nothing")
        }
    }

    @Test func statsTodayAndSummaryWithCacheInvalidation() async throws {
        try await HabitsHarness.run { api in
            let alice = try await api.token()
            let id = try await api.createHabit(token: alice)
            let other = try await api.createHabit(#"{"name": "Weekly", "schedule": {"type": "times_per_week", "times": 3}}"#, token: alice)
            for offset in [-2, -1] { _ = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(offset))", token: alice) }

            let stats = try await api.send(.get, "/habits/\(id)/stats?from=\(Self.day(-3))", token: alice)
            #expect(stats.status == .ok && stats.headers[.init("X-Cache")!] == "MISS")
            #expect((stats.json["streak"] as? [String: Any])?["current"] as? Int == 2)
            #expect((stats.json["calendar"] as? [[String: Any]])?.map { $0["state"] as? String } == ["not_scheduled", "completed", "completed", "pending"],
                    "three days back: before the first check-in nothing was due")
            #expect(stats.json["total_check_ins"] as? Int == 2)
            #expect(try await api.send(.get, "/habits/\(id)/stats?from=\(Self.day(-3))", token: alice).headers[.init("X-Cache")!] == "HIT")

            let today = try await api.send(.get, "/habits/today", token: alice)
            #expect((today.json["data"] as? [[String: Any]])?.compactMap { $0["state"] as? String } == ["pending", "pending"])

            _ = try await api.send(.put, "/habits/\(id)/check-ins/\(Self.day(0))", token: alice)
            let after = try await api.send(.get, "/habits/\(id)/stats?from=\(Self.day(-3))", token: alice)
            #expect(after.headers[.init("X-Cache")!] == "MISS", "the check-in dropped the cached stats")
            #expect((after.json["streak"] as? [String: Any])?["current"] as? Int == 3)

            let summary = try await api.send(.get, "/habits/summary", token: alice)
            #expect(summary.json["active_habits"] as? Int == 2 && summary.json["completed_today"] as? Int == 1)
            #expect(summary.json["due_today"] as? Int == 2 && summary.json["total_check_ins"] as? Int == 3)
            #expect((summary.json["best_current_streak"] as? [String: Any])?["habit_id"] as? String == id)
            _ = other
            #expect(try await api.send(.get, "/habits/\(id)/stats?to=\(Self.day(400))&from=\(Self.day(-40))", token: alice).status == .badRequest)
            #expect(try await api.send(.get, "/habits/summary", token: nil).status == .unauthorized)
            #expect(try await api.send(.get, "/habits/today", token: nil).status == .unauthorized)
        }
    }
}
