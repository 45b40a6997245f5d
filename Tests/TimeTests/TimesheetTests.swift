import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Time

@Suite("time: timesheets")
struct TimesheetTests {
    @Test func submitApproveRejectAndResubmitWithLockedEntries() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB", members: ["bob": "member", "ann": "admin", "carl": "member"])
            let first = try await api.log(#"{"project": "WEB", "started_at": "2026-11-23T09:00:00Z", "duration": "4h"}"#, as: "bob")
            let second = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "3h"}"#, as: "bob")
            let firstID = try #require(first.json["id"] as? String)

            #expect(try await api.send(.post, "/timesheets/2026-W47/submit", as: "bob").errorCode == "empty_timesheet")
            let outOfOrder = try await api.send(.post, "/timesheets/2026-W49/submit", as: "bob")
            #expect(outOfOrder.status == .conflict && outOfOrder.errorCode == "earlier_week_open" && (outOfOrder.json["message"] as? String)?.contains("2026-W48") == true)
            let submitted = try await api.send(.post, "/timesheets/2026-W48/submit", as: "bob")
            #expect(submitted.status == .ok && submitted.json["status"] as? String == "submitted" && submitted.json["total_seconds"] as? Int == 14400)
            #expect(Set(submitted.json["approvers"] as? [String] ?? []) == ["alice", "ann"])
            #expect(try await api.send(.post, "/timesheets/2026-W48/submit", as: "bob").errorCode == "timesheet_state")

            let locked = try await api.send(.patch, "/time-entries/\(firstID)", json: #"{"description": "late edit"}"#, as: "bob")
            #expect(locked.status == .conflict && locked.errorCode == "timesheet_locked")
            #expect(try await api.send(.delete, "/time-entries/\(firstID)", as: "bob").errorCode == "timesheet_locked")
            #expect(try await api.log(#"{"project": "WEB", "started_at": "2026-11-24T09:00:00Z", "duration": "1h"}"#, as: "bob").errorCode == "timesheet_locked")

            #expect(try await api.send(.post, "/timesheets/2026-W48/approve", json: #"{"user_id": "bob"}"#, as: "bob").status == .forbidden, "not one's own")
            #expect(try await api.send(.post, "/timesheets/2026-W48/approve", json: #"{"user_id": "bob"}"#, as: "carl").status == .forbidden, "members do not approve")
            #expect(try await api.send(.post, "/timesheets/2026-W48/reject", json: #"{"user_id": "bob"}"#, as: "ann").invalidFields == ["comment"])
            let pending = try await api.send(.get, "/timesheets/pending", as: "ann").json["data"] as? [[String: Any]] ?? []
            #expect(pending.map { "\($0["user_id"] ?? "") \($0["week"] ?? "")" } == ["bob 2026-W48"])
            #expect((try await api.send(.get, "/timesheets/2026-W48?user=bob", as: "ann").json["entries"] as? [Any])?.count == 1)
            #expect(try await api.send(.get, "/timesheets/2026-W48?user=bob", as: "carl").status == .notFound)

            let rejected = try await api.send(.post, "/timesheets/2026-W48/reject", json: #"{"user_id": "bob", "comment": "Split the morning by task."}"#, as: "ann")
            #expect(rejected.json["status"] as? String == "rejected" && rejected.json["comment"] as? String == "Split the morning by task.")
            #expect(try await api.send(.patch, "/time-entries/\(firstID)", json: #"{"description": "split"}"#, as: "bob").status == .ok, "a rejected week is editable")
            #expect(try await api.send(.post, "/timesheets/2026-W48/approve", json: #"{"user_id": "bob"}"#, as: "ann").errorCode == "timesheet_state")
            #expect(try await api.send(.post, "/timesheets/2026-W48/submit", as: "bob").json["status"] as? String == "submitted")
            let approved = try await api.send(.post, "/timesheets/2026-W48/approve", json: #"{"user_id": "bob"}"#, as: "alice")
            #expect(approved.json["status"] as? String == "approved" && approved.json["decided_by"] as? String == "alice")
            #expect(try await api.send(.post, "/timesheets/2026-W48/reject", json: #"{"user_id": "bob", "comment": "x"}"#, as: "ann").errorCode == "timesheet_state")
            #expect(try await api.send(.patch, "/time-entries/\(firstID)", json: #"{"billable": false}"#, as: "bob").errorCode == "timesheet_locked")

            // The next week can go now; moving an entry into a locked week is refused too.
            let secondID = try #require(second.json["id"] as? String)
            #expect(try await api.send(.patch, "/time-entries/\(secondID)", json: #"{"started_at": "2026-11-25T09:00:00Z"}"#, as: "bob").errorCode == "timesheet_locked")
            #expect(try await api.send(.post, "/timesheets/2026-W49/submit", as: "bob").json["status"] as? String == "submitted")
            #expect(try await api.send(.get, "/timesheets/2026-W54", as: "bob").status == .notFound)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type).filter { $0.hasPrefix("timesheet.") } == [
                "timesheet.submitted", "timesheet.rejected", "timesheet.submitted", "timesheet.approved", "timesheet.submitted",
            ])
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Time"), events: events)
            #expect(problems.isEmpty, "every published type, each as catalogued: \(problems)")
        }
    }

    @Test func aWeekNobodyElseCanApproveIsNotSubmittedAndTimersBlockSubmission() async throws {
        try await TimeHarness.run { api in
            try await api.project("SOLO")
            _ = try await api.log(#"{"project": "SOLO", "started_at": "2026-11-30T09:00:00Z", "duration": "1h"}"#)
            #expect(try await api.send(.post, "/timesheets/2026-W49/submit").errorCode == "no_approver")
            try await api.call(api.projects, "POST", "/projects/SOLO/members", json: #"{"user_id": "ann", "role": "admin"}"#)
            // Bob's only entry is a running timer: its week is not submitted while it runs.
            try await api.call(api.projects, "POST", "/projects/SOLO/members", json: #"{"user_id": "bob", "role": "member"}"#)
            let timer = try await api.send(.post, "/timers", json: #"{"project": "SOLO"}"#, as: "bob").json["timer"] as? [String: Any]
            let week = try #require(timer?["week"] as? String)
            #expect(try await api.send(.post, "/timesheets/\(week)/submit", as: "bob").errorCode == "timer_running")
            _ = try await api.send(.post, "/timers/stop", as: "bob")
            #expect(try await api.send(.post, "/timesheets/\(week)/submit", as: "bob").json["approvers"] as? [String] == ["alice", "ann"])
        }
    }
}
