import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Users

@Suite("users: profiles")
struct ProfileRoutesTests {
    @Test func aRegistrationMakesOneProfileHoweverOftenItArrives() async throws {
        try await UsersHarness.run { api in
            let ada = try await api.token("u-ada")
            let before = try await api.send(.get, "/users/me", token: ada)
            #expect(before.status == .notFound && before.json["message"] as? String != nil, "no profile before the event")

            let event = try await api.publishRegistration("u-ada", email: "Ada.Lovelace+work@example.com", name: "Ada Lovelace")
            try await waitUntil("the profile is made") { try await api.profileCount("u-ada") == 1 }
            // The same envelope again (a redelivery), and another event for the same account
            // (a replay from auth's history): still one profile, as first made.
            try await api.republish(event)
            try await api.publishRegistration("u-ada", email: "other@example.com", name: "Someone Else")
            try await api.register("u-bob", email: "ada.lovelace@example.org")
            try await waitUntil("every registration is handled") {
                try await api.pool.query("SELECT count(*)::int AS n FROM processed_events").rows[0].decode("n", as: Int.self) == 3
            }
            #expect(try await api.profileCount("u-ada") == 1)

            let me = try await api.send(.get, "/users/me", token: ada)
            #expect(me.status == .ok)
            #expect(me.json["handle"] as? String == "ada-lovelace" && me.json["display_name"] as? String == "Ada Lovelace")
            #expect(me.json["email"] as? String == "Ada.Lovelace+work@example.com" && me.json["time_zone"] as? String == "UTC")
            #expect((me.json["preferences"] as? [String: Any])?["theme"] as? String == "system", "defaults filled in")
            let bob = try await api.send(.get, "/users/u-bob", token: ada)
            #expect(bob.json["handle"] as? String == "ada-lovelace-2", "a taken handle gets the next free suffix")
            #expect(bob.json["email"] == nil && bob.json["preferences"] == nil, "others see the public part only")
            #expect(try await api.send(.get, "/users/@ADA-LOVELACE", token: ada).json["user_id"] as? String == "u-ada")
            #expect(try await api.send(.get, "/users/@nobody", token: ada).status == .notFound)
            #expect(try await api.send(.get, "/users/u-ada", token: nil).status == .unauthorized)
        }
    }

    @Test func theOwnerChangesTheirProfileAndEveryBadFieldIsNamed() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.register("alice")
            try await api.register("bob")
            let changed = try await api.send(.patch, "/users/me", json: """
                {"handle": "Alice_W", "display_name": "Alice W.", "time_zone": "America/New_York", "locale": "en-US",
                 "avatar_url": "https://cdn.example.com/a.png", "bio": "Builds things."}
                """, token: alice)
            #expect(changed.status == .ok, "\(changed.body)")
            #expect(changed.json["handle"] as? String == "alice_w" && changed.json["time_zone"] as? String == "America/New_York")

            let bad = try await api.send(.patch, "/users/me", json: """
                {"handle": "-x-", "display_name": null, "time_zone": "Mars/Olympus", "locale": "english",
                 "avatar_url": "javascript:alert(1)", "colour": "red"}
                """, token: alice)
            #expect(bad.status == .badRequest)
            #expect(bad.invalidFields == ["handle", "display_name", "time_zone", "locale", "avatar_url", "colour"], "\(bad.body)")
            let taken = try await api.send(.patch, "/users/me", json: #"{"handle": "bob"}"#, token: alice)
            #expect(taken.status == .conflict && taken.errorCode == "handle_taken")
            let cleared = try await api.send(.patch, "/users/me", json: #"{"bio": null, "avatar_url": null}"#, token: alice)
            #expect(cleared.json["bio"] == nil && cleared.json["avatar_url"] == nil)

            let events = try await EventCatalogue.recorded(in: api.pool)
            #expect(events.map(\.type) == ["user.profile_updated", "user.profile_updated"])
            #expect(events[0].data["previous_handle"] == "alice" && events[0].data["handle"] == "alice_w")
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Users"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }

    @Test func preferencesMergeAndFollowTheirPublishedSchema() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.register("alice")
            let merged = try await api.send(.patch, "/users/me/preferences", json: #"{"theme": "dark", "default_project": "WEB"}"#, token: alice)
            #expect(merged.status == .ok)
            #expect(merged.json["theme"] as? String == "dark" && merged.json["week_start"] as? String == "monday" && merged.json["default_project"] as? String == "WEB")
            let again = try await api.send(.patch, "/users/me/preferences", json: #"{"week_start": "sunday", "theme": null}"#, token: alice)
            #expect(again.json["theme"] as? String == "system", "null restores the default")
            #expect(again.json["week_start"] as? String == "sunday" && again.json["default_project"] as? String == "WEB", "the rest is kept")

            let bad = try await api.send(.patch, "/users/me/preferences", json: #"{"theme": "neon", "default_project": "web", "font": "serif"}"#, token: alice)
            #expect(bad.status == .badRequest && bad.invalidFields == ["theme", "default_project", "font"], "\(bad.body)")
            #expect(try await api.send(.patch, "/users/me/preferences", json: "[1]", token: alice).status == .badRequest)
            #expect(try await api.send(.get, "/users/me/preferences", token: alice).json["week_start"] as? String == "sunday", "nothing half-written")

            let schema = try await api.send(.get, "/users/preferences/schema", token: alice)
            #expect(schema.status == .ok)
            let stored = try await api.pool.query("SELECT preferences::text AS p FROM profiles WHERE user_id = 'alice'").rows[0].decode("p", as: String.self)
            #expect(try await JSONSchemaCheck.errors(schema: schema.body, document: stored).isEmpty, "what is stored passes the published schema")
            for refused in [#"{"theme": "neon"}"#, #"{"font": "serif"}"#, #"{"default_project": "web"}"#] {
                #expect(try await JSONSchemaCheck.errors(schema: schema.body, document: refused).count == 1, "the schema refuses \(refused) too")
            }
        }
    }

    @Test func handlesResolveInOneCallAndFollowChanges() async throws {
        try await UsersHarness.run { api in
            let alice = try await api.register("alice")
            try await api.register("bob")
            let first = try await api.send(.get, "/users/resolve?handles=@bob,alice,ghost,bob", token: alice)
            #expect(first.status == .ok)
            #expect((first.json["data"] as? [[String: Any]])?.compactMap { $0["user_id"] as? String } == ["alice", "bob"])
            #expect(first.json["unknown"] as? [String] == ["ghost"])

            // A cached answer does not outlive a change of handle.
            #expect(try await api.send(.patch, "/users/me", json: #"{"handle": "ghost"}"#, token: try await api.token("bob")).status == .ok)
            let after = try await api.send(.get, "/users/resolve?handles=@bob,alice,ghost,bob", token: alice)
            #expect((after.json["data"] as? [[String: Any]])?.compactMap { $0["handle"] as? String } == ["alice", "ghost"])
            #expect(after.json["unknown"] as? [String] == ["bob"])

            for query in ["", "?handles=", "?handles=a,b!", "?handles=" + (1...51).map { "h\($0)" }.joined(separator: ",")] {
                let refused = try await api.send(.get, "/users/resolve\(query)", token: alice)
                let problems = (refused.json["details"] as? [String: Any])?["problems"] as? [String: Any]
                #expect(refused.status == .badRequest && refused.errorCode == "invalid_query" && problems?.keys.sorted() == ["handles"], "\(query): \(refused.body)")
            }
        }
    }
}

/// Python's `jsonschema` (draft 2020-12) as the independent judge of a published schema.
enum JSONSchemaCheck {
    static func errors(schema: String, document: String) async throws -> [String] {
        let script = """
            import json, sys, jsonschema
            validator = jsonschema.Draft202012Validator(json.loads(sys.argv[1]))
            for error in validator.iter_errors(json.loads(sys.argv[2])): print(error.message)
            """
        return try await BlockingWork.run {
            let (status, output) = try CleanSpawn.run("python3", ["-c", script, schema, document])
            guard status == 0 else { throw CheckFailed(output: output) }
            return output.split(separator: "\n").map(String.init)
        }
    }

    struct CheckFailed: Error {
        let output: String
    }
}
