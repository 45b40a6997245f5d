import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Time

@Suite("time: timers")
struct TimerTests {
    @Test func startStopAndRestart() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            let none = try await api.send(.post, "/timers/stop")
            #expect(none.status == .conflict && none.errorCode == "no_timer")
            #expect(try await api.send(.post, "/timers/restart").status == .notFound, "nothing to restart yet")
            let started = try await api.send(.post, "/timers", json: #"{"project": "WEB", "description": "Review", "tags": ["review"]}"#)
            #expect(started.status == .created, "\(started.body)")
            let timer = try #require(started.json["timer"] as? [String: Any])
            #expect(timer["ended_at"] is NSNull && (started.json["stopped"] as? [Any])?.isEmpty == true)
            #expect((try await api.send(.get, "/timers").json["data"] as? [Any])?.count == 1)

            let stopped = try await api.send(.post, "/timers/stop")
            #expect(stopped.status == .ok && stopped.json["ended_at"] as? String != nil && stopped.json["duration_seconds"] as? Int != nil, "\(stopped.body)")
            let again = try await api.send(.post, "/timers/restart")
            #expect(again.status == .created)
            let restarted = try #require(again.json["timer"] as? [String: Any])
            #expect(restarted["description"] as? String == "Review" && restarted["tags"] as? [String] == ["review"] && restarted["id"] as? String != timer["id"] as? String)

            // The one-timer limit: a new start stops the running one.
            let next = try await api.send(.post, "/timers", json: #"{"project": "WEB", "description": "Next"}"#)
            #expect((next.json["stopped"] as? [[String: Any]])?.first?["id"] as? String == restarted["id"] as? String)
            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == ["time.entry_stopped", "time.entry_stopped"])
            #expect(try await api.send(.post, "/timers", json: #"{"project": "web"}"#).invalidFields == ["project"])
            #expect(try await api.send(.post, "/timers", json: #"{}"#).invalidFields == ["project"])
        }
    }

    @Test func twoConcurrentStartsLeaveOneTimerRunning() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            let token = try await api.token()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<6 {
                    group.addTask {
                        let reply = try await HTTPTestClient.send(
                            "POST", "http://127.0.0.1:\(api.port)/timers", headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                            body: #"{"project": "WEB", "description": "start \#(index)"}"#)
                        return reply.status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 201, count: 6), "\(statuses)")
            let running = try await api.pool.query("SELECT count(*)::int AS n FROM time_entries WHERE ended_at IS NULL").rows[0].decode("n", as: Int.self)
            let stopped = try await api.pool.query("SELECT count(*)::int AS n FROM time_entries WHERE ended_at IS NOT NULL").rows[0].decode("n", as: Int.self)
            #expect(running == 1 && stopped == 5)
        }
    }

    @Test func aHigherLimitKeepsThatManyRunning() async throws {
        try await TimeHarness.run(environment: ["TIME_MAX_RUNNING_TIMERS": "2", "TIME_ALLOW_OVERLAP": "true"]) { api in
            try await api.project("WEB")
            for index in 0..<3 {
                #expect(try await api.send(.post, "/timers", json: #"{"project": "WEB", "description": "t\#(index)"}"#).status == .created)
            }
            let running = try await api.send(.get, "/timers").json["data"] as? [[String: Any]] ?? []
            #expect(running.compactMap { $0["description"] as? String } == ["t1", "t2"], "the oldest stopped")
        }
    }
}
