import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Time

@Suite("time: rates, rounding and costs")
struct RatesTests {
    @Test func theUserRateWinsAndCostsAreExactToTheCent() async throws {
        try await TimeHarness.run { api in
            try await api.project("WEB", members: ["bob": "member", "ann": "admin"])
            try await api.project("OPS", members: ["bob": "member"])
            #expect(try await api.send(.patch, "/time-settings/WEB", json: #"{"hourly_rate": "80.00"}"#, as: "bob").status == .forbidden)
            let set = try await api.send(.patch, "/time-settings/WEB", json: #"{"hourly_rate": "80.00", "rounding": {"minutes": 15, "mode": "default"}}"#, as: "ann")
            #expect(set.status == .ok && set.json["hourly_rate"] as? String == "80.00", "\(set.body)")
            #expect(try await api.send(.put, "/time-settings/WEB/rates/bob", json: #"{"hourly_rate": "95.00"}"#).status == .ok)
            #expect(try await api.send(.patch, "/time-settings/OPS", json: #"{"hourly_rate": "33.33"}"#).status == .ok)
            for (json, field) in [(#"{"hourly_rate": "-1"}"#, "hourly_rate"), (#"{"hourly_rate": "1.234"}"#, "hourly_rate"), (#"{"hourly_rate": 80}"#, "hourly_rate"),
                                  (#"{"rounding": {"minutes": 0, "mode": "default"}}"#, "rounding"), (#"{"rounding": {"minutes": 15, "mode": "up"}}"#, "rounding")] {
                #expect(try await api.send(.patch, "/time-settings/WEB", json: json).invalidFields == [field], "\(json)")
            }
            #expect(try await api.send(.put, "/time-settings/WEB/rates/stranger", json: #"{"hourly_rate": "1.00"}"#).status == .notFound)

            // 09:07 → 11:34 rounds (15 min, begin down and end up) to 09:00 → 11:45: 2h45m.
            let bobs = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:07:00Z", "ended_at": "2026-11-30T11:34:00Z"}"#, as: "bob")
            #expect(bobs.json["duration_seconds"] as? Int == 9900 && bobs.json["hourly_rate"] as? String == "95.00" && bobs.json["cost"] as? String == "261.25", "\(bobs.body)")
            #expect(bobs.json["started_at"] as? String == "2026-11-30T09:07:00Z" && bobs.json["rounded_started_at"] as? String == "2026-11-30T09:00:00Z", "as worked, and as counted")
            let alices = try await api.log(#"{"project": "WEB", "started_at": "2026-11-30T09:00:00Z", "duration": "1:01"}"#)
            #expect(alices.json["hourly_rate"] as? String == "80.00" && alices.json["duration_seconds"] as? Int == 4500 && alices.json["cost"] as? String == "100.00")

            // Moved to OPS (no rounding of its own: the minute), priced at OPS's rate: 61 min × 33.33 = 33.8855 → 33.89.
            let moved = try await api.send(.patch, "/time-entries/\(try #require(alices.json["id"] as? String))", json: #"{"project": "OPS"}"#)
            #expect(moved.json["project"] as? String == "OPS" && moved.json["duration_seconds"] as? Int == 3660 && moved.json["cost"] as? String == "33.89", "\(moved.body)")
            let stored = try await api.pool.query("SELECT cost::text AS c FROM time_entries ORDER BY started_at, user_id").rows.map { try $0.decode("c", as: String.self) }
            #expect(stored.sorted() == ["261.25", "33.89"])

            let settings = try await api.send(.get, "/time-settings/WEB", as: "ann")
            #expect((settings.json["user_rates"] as? [[String: Any]])?.first?["hourly_rate"] as? String == "95.00")
            #expect((settings.json["rounding"] as? [String: Any])?["minutes"] as? Int == 15)
            #expect(try await api.send(.delete, "/time-settings/WEB/rates/bob").status == .noContent)
            #expect(try await api.send(.delete, "/time-settings/WEB/rates/bob").status == .notFound)
        }
    }
}
