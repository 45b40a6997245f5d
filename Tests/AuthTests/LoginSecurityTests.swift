@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("auth: registration rules, enumeration resistance, lockout")
struct LoginSecurityTests {
    @Test func passwordPolicyFollowsNIST() async throws {
        try await AuthHarness.make().run { api in
            let email = AuthAPI.uniqueEmail()
            let cases: [(String, String)] = [
                ("short7!", "at least 8"),
                (String(repeating: "x", count: 120) + "abcdefghi", "at most 128"),
                ("password123", "commonly used"),
                ("Iloveyou1", "commonly used"),
                (email, "email address or name"),
                ("ééééééééé", "repeat"),
            ]
            for (password, message) in cases {
                let reply = try await api.register(email, password: password)
                #expect(reply.status == .badRequest, "\(password)")
                #expect(reply.error == "validation_failed")
                #expect((reply["message"] ?? "").contains(message), "\(password): \(reply.body)")
                #expect((reply.json["details"] as? [String: Any])?["field"] as? String == "password")
            }
            // No composition rules: long passphrases of lower-case words, any Unicode, 128 characters.
            #expect(try await api.register(AuthAPI.uniqueEmail(), password: "purple monkey dishwasher").status == .created)
            #expect(try await api.register(AuthAPI.uniqueEmail(), password: "Ünïcödé pässwörd ✓").status == .created)
            #expect(try await api.register(AuthAPI.uniqueEmail(), password: String(repeating: "ab", count: 64)).status == .created)
        }
    }

    @Test func registrationFailureModes() async throws {
        try await AuthHarness.make().run { api in
            let email = AuthAPI.uniqueEmail()
            #expect(try await api.register(email).status == .created)
            let duplicate = try await api.register(email.uppercased())
            #expect(duplicate.status == .conflict)
            #expect(duplicate.error == "email_taken")

            let badEmail = try await api.register("not-an-email")
            #expect(badEmail.status == .badRequest)
            #expect((badEmail.json["details"] as? [String: Any])?["field"] as? String == "email")
            let emptyName = try await api.register(AuthAPI.uniqueEmail(), name: "   ")
            #expect(emptyName.status == .badRequest)
            let missing = try await api.send(.post, "/v1/register", json: ["email": AuthAPI.uniqueEmail()])
            #expect(missing.status == .badRequest)
            #expect(missing.body.contains("password"))
            let wrongType = try await api.send(.post, "/v1/register", json: ["email": 42, "password": AuthAPI.password, "name": "x"])
            #expect(wrongType.status == .badRequest)
            let broken = try await api.send(.post, "/v1/register", headers: [.contentType: "application/json"], body: "{")
            #expect(broken.status == .badRequest)
            #expect(broken.error == "invalid_json")
        }
    }

    @Test func unknownEmailAndWrongPasswordLookTheSame() async throws {
        try await AuthHarness.make().run { api in
            let email = AuthAPI.uniqueEmail()
            try await api.register(email)
            let wrongPassword = try await api.login(email, password: "not the password at all")
            let unknownEmail = try await api.login(AuthAPI.uniqueEmail(), password: "not the password at all")
            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == wrongPassword.status)
            var first = wrongPassword.json
            var second = unknownEmail.json
            first["request_id"] = nil
            second["request_id"] = nil
            #expect(NSDictionary(dictionary: first).isEqual(to: second), "\(wrongPassword.body) vs \(unknownEmail.body)")
            #expect(wrongPassword.error == "invalid_credentials")
            let missing = try await api.send(.post, "/v1/login", json: ["email": email])
            #expect(missing.status == .badRequest)
        }
    }

    @Test func repeatedFailuresLockTheAccountUntilTheLockoutExpires() async throws {
        // Lockouts of a few seconds, so a loaded machine's pauses do not outlast them mid-test;
        // Retry-After counts down, so it is checked against the range it may show.
        let harness = try AuthHarness.make(environment: ["LOGIN_LOCKOUT_THRESHOLD": "3", "LOGIN_LOCKOUT_SECONDS": "4"])
        try await harness.run { api in
            let email = AuthAPI.uniqueEmail()
            try await api.register(email)
            for _ in 1...3 {
                #expect(try await api.login(email, password: "wrong password 1").status == .unauthorized)
            }
            // Locked: even the right password is refused, with a Retry-After.
            let locked = try await api.login(email)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.error == "too_many_attempts")
            let wait = try #require(locked.retryAfterSeconds, "a Retry-After in seconds")
            #expect((1...4).contains(wait))
            // An unknown email locks the same way, so lockouts reveal nothing.
            let ghost = AuthAPI.uniqueEmail()
            for _ in 1...3 { _ = try await api.login(ghost, password: "wrong password 1") }
            #expect(try await api.login(ghost).status == .tooManyRequests)

            try await Task.sleep(for: .seconds(wait) + .milliseconds(300))
            #expect(try await api.login(email).status == .ok, "the lockout expires")

            // A successful login resets the lockout level: the next lockout is the base again.
            for _ in 1...3 { _ = try await api.login(email, password: "wrong password 2") }
            let again = try await api.login(email)
            #expect(again.status == .tooManyRequests)
            #expect(again.retryAfterSeconds.map { (1...4).contains($0) } == true, "the base lockout, not a doubled one")
        }
        #expect(harness.logText.contains(#""event":"lockout""#), "lockouts are audit events")
    }

    @Test func oneClientAddressGuessingManyAccountsIsLockedOut() async throws {
        try await AuthHarness.make(environment: ["LOGIN_IP_LOCKOUT_THRESHOLD": "4", "LOGIN_LOCKOUT_SECONDS": "30"]).run { api in
            let victim = AuthAPI.uniqueEmail()
            try await api.register(victim)
            for _ in 1...4 {
                #expect(try await api.login(AuthAPI.uniqueEmail(), password: "guess guess guess").status == .unauthorized)
            }
            let locked = try await api.login(victim)
            #expect(locked.status == .tooManyRequests, "every account is refused from that address")
            // The lockout's remaining seconds: 30 when read at once, less on a loaded machine.
            #expect(locked.retryAfterSeconds.map { (1...30).contains($0) } == true, "\(locked.headers[.retryAfter] ?? "no Retry-After")")
        }
    }

    @Test func lockoutsGrowWhileFailuresContinue() async throws {
        try await AuthHarness.make(environment: ["LOGIN_LOCKOUT_THRESHOLD": "2", "LOGIN_LOCKOUT_SECONDS": "4"]).run { api in
            let email = AuthAPI.uniqueEmail()
            try await api.register(email)
            for _ in 1...2 { _ = try await api.login(email, password: "wrong password 1") }
            let first = try #require(try await api.login(email).retryAfterSeconds, "a Retry-After in seconds")
            #expect((1...4).contains(first))
            try await Task.sleep(for: .seconds(first) + .milliseconds(300))
            for _ in 1...2 { _ = try await api.login(email, password: "wrong password 1") }
            let second = try await api.login(email)
            #expect(second.status == .tooManyRequests)
            let doubled = second.retryAfterSeconds
            #expect(doubled.map { (5...8).contains($0) } == true, "the second lockout in a row doubles: \(String(describing: doubled))")
        }
    }
}
