import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Time

@Suite("time: reports")
struct ReportTests {
    /// Berlin leaves summer time on 2026-10-25 at 03:00 (back to 02:00): that Sunday has 25
    /// hours. Entries around it are counted on their local day, and the totals are the sums.
    @Test func totalsEqualTheSumOfEntriesAcrossADSTChange() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB")
            try await api.zone("Europe/Berlin", for: "alice")
            let entries = [
                ("2026-10-24T21:30:00Z", "3h"),   // Sat 23:30 CEST → Sun 01:30 local: counted on Saturday
                ("2026-10-25T00:30:00Z", "2h"),   // Sun 02:30 CEST → 02:30 CET (the hour repeats)
                ("2026-10-25T22:30:00Z", "1h30m"), // Sun 23:30 CET: still Sunday locally, Monday in UTC
                ("2026-10-26T08:00:00Z", "45m"),
            ]
            for (start, duration) in entries {
                let reply = try await api.log(#"{"project": "WEB", "started_at": "\#(start)", "duration": "\#(duration)"}"#)
                #expect(reply.status == .created, "\(reply.body)")
            }
            let report = try await api.send(.get, "/time-reports?from=2026-10-24&to=2026-10-26&group_by=day")
            #expect(report.status == .ok && report.json["time_zone"] as? String == "Europe/Berlin", "\(report.body)")
            let rows = report.json["rows"] as? [[String: Any]] ?? []
            #expect(rows.map { "\($0["group"] ?? "") \($0["seconds"] ?? "")" } == ["2026-10-24 10800", "2026-10-25 12600", "2026-10-26 2700"])
            let total = report.json["total"] as? [String: Any]
            #expect(total?["seconds"] as? Int == 10800 + 7200 + 5400 + 2700 && total?["entries"] as? Int == 4)
            #expect(rows.compactMap { $0["seconds"] as? Int }.reduce(0, +) == total?["seconds"] as? Int)
            // Only Sunday, in Berlin: the entry of 23:30 CET is in it, the one of Saturday is not.
            let sunday = try await api.send(.get, "/time-reports?from=2026-10-25&to=2026-10-25").json["total"] as? [String: Any]
            #expect(sunday?["seconds"] as? Int == 12600)
        }
    }

    @Test func csvExportParsesWithPythonAndGroupsByTagAndUser() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB", members: ["bob": "member"])
            _ = try await api.send(.patch, "/time-settings/WEB", json: #"{"hourly_rate": "80.00"}"#)
            _ = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "1h30m", "tags": ["design, \"v2\"", "ux"]}"#)
            _ = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T11:00:00Z", "duration": "1h", "billable": false}"#)
            _ = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "2h"}"#, as: "bob")

            let csv = try await api.send(.get, "/time-reports?from=2026-11-30&to=2026-11-30&group_by=tag&format=csv")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            let parsed = try await Self.parseCSV(csv.body)
            #expect(parsed.first == ["tag", "entries", "seconds", "hours", "billable_seconds", "cost"])
            #expect(parsed.dropFirst().map { $0[0] } == ["(untagged)", "design, \"v2\"", "ux", "total"], "\(parsed)")
            #expect(parsed.last == ["total", "2", "9000", "2.50", "5400", "200.00"], "a tagged entry counts once in the total")

            let byUser = try await api.send(.get, "/time-reports?from=2026-11-30&to=2026-11-30&group_by=user&project=WEB", headers: [.accept: "text/csv"])
            let users = try await Self.parseCSV(byUser.body)
            #expect(users.dropFirst().map { $0[0] } == ["alice", "bob", "total"], "an admin of the project sees everyone in it")
            let bobs = try await api.send(.get, "/time-reports?from=2026-11-30&to=2026-11-30&group_by=user&project=WEB", as: "bob")
            #expect((bobs.json["rows"] as? [[String: Any]])?.map { $0["group"] as? String } == ["bob"], "a member sees their own")

            for query in ["", "?from=2026-11-30", "?from=2026-12-30&to=2026-11-30", "?from=2026-11-30&to=2026-11-30&group_by=week", "?from=2025-01-01&to=2026-11-30"] {
                #expect(try await api.send(.get, "/time-reports\(query)").status == .badRequest, "\(query)")
            }
        }
    }

    /// Python's `csv` module as the independent reader.
    static func parseCSV(_ text: String) async throws -> [[String]] {
        try await BlockingWork.run {
            let script = "import csv, json, sys; print(json.dumps(list(csv.reader(sys.argv[1].splitlines(keepends=True)))))"
            let (status, output) = try CleanSpawn.run("python3", ["-c", script, text])
            guard status == 0 else { return [["python failed: \(output)"]] }
            return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String]] ?? []
        }
    }
}
