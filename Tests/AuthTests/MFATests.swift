@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("TOTP (RFC 6238) and base32")
struct TOTPTests {
    /// RFC 6238 Appendix B, SHA-1 rows (8 digits, secret "12345678901234567890").
    @Test(arguments: [
        (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ] as [(Int, String)])
    func rfc6238Vectors(time: Int, code: String) {
        var totp = TOTP(secret: Array("12345678901234567890".utf8))
        totp.digits = 8
        #expect(totp.code(at: Date(timeIntervalSince1970: TimeInterval(time))) == code)
    }

    @Test func acceptsOneStepEitherSideOnly() {
        let totp = TOTP(secret: Array("12345678901234567890".utf8))
        let now = Date(timeIntervalSince1970: 1_111_111_111)
        let step = totp.step(at: now)
        #expect(totp.matchingStep(for: totp.code(forStep: step), at: now) == step)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 1), at: now) == step - 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 1), at: now) == step + 1)
        #expect(totp.matchingStep(for: totp.code(forStep: step - 2), at: now) == nil)
        #expect(totp.matchingStep(for: totp.code(forStep: step + 2), at: now) == nil)
        #expect(totp.matchingStep(for: "12345", at: now) == nil)
        #expect(totp.matchingStep(for: "abcdef", at: now) == nil)
    }

    @Test func base32RoundTripsAndMatchesRFC4648() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.decode("MZXW6YTBOI") == Array("foobar".utf8))
        #expect(Base32.decode("mzxw 6ytb oi======") == Array("foobar".utf8))
        #expect(Base32.decode("MZ1W") == nil)
        let secret = (0..<20).map { UInt8($0 * 13 % 256) }
        #expect(Base32.decode(Base32.encode(secret)) == secret)
    }

    @Test func provisioningURIHasWhatAuthenticatorsNeed() {
        let uri = TOTP(secret: Array("foobar".utf8)).provisioningURI(account: "ada+x@example.com", issuer: "Flotilla")
        #expect(uri == "otpauth://totp/Flotilla:ada%2Bx@example.com?secret=MZXW6YTBOI&issuer=Flotilla&algorithm=SHA1&digits=6&period=30")
    }
}

@Suite("auth: two-factor login")
struct MFAFlowTests {
    /// Enrol and activate TOTP for a fresh account; returns the session, secret and recovery codes.
    func enrolled(_ api: AuthAPI) async throws -> (email: String, access: String, totp: TOTP, step: Int64, recoveryCodes: [String]) {
        let session = try await api.registeredSession()
        let enrollment = try await api.send(.post, "/v1/mfa/totp/enroll", token: session.access)
        #expect(enrollment.status == .ok)
        let secret = try #require(enrollment["secret"].flatMap(Base32.decode))
        #expect(enrollment["otpauth_uri"]?.hasPrefix("otpauth://totp/Flotilla:") == true)
        let totp = TOTP(secret: secret)
        let step = totp.step(at: Date())
        let verified = try await api.send(.post, "/v1/mfa/totp/verify", json: ["code": totp.code(forStep: step)], token: session.access)
        #expect(verified.status == .ok, "\(verified.body)")
        let codes = try #require(verified.json["recovery_codes"] as? [String])
        return (session.email, session.access, totp, step, codes)
    }

    @Test func loginNeedsTheSecondFactorAndCodesCannotBeReplayed() async throws {
        try await AuthHarness.make().run { api in
            let account = try await enrolled(api)
            #expect(account.recoveryCodes.count == 10)
            let me = try await api.send(.get, "/v1/me", token: account.access)
            #expect(me.json["mfa_enabled"] as? Bool == true)

            let login = try await api.login(account.email)
            #expect(login.status == .ok)
            #expect(login.json["mfa_required"] as? Bool == true)
            #expect(login["access_token"] == nil, "no tokens before the second factor")
            let challenge = try #require(login["mfa_token"])

            // The code used to activate TOTP (this step) is spent; the next step's is accepted once.
            let spent = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": challenge, "code": account.totp.code(forStep: account.step)])
            #expect(spent.status == .unauthorized)
            #expect(spent.error == "invalid_mfa_code")
            let next = account.totp.code(forStep: account.step + 1)
            let completed = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": challenge, "code": next])
            #expect(completed.status == .ok, "\(completed.body)")
            #expect(completed["access_token"] != nil && completed["refresh_token"] != nil)

            // The challenge is single use, and the same code cannot log in again.
            let reused = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": challenge, "code": next])
            #expect(reused.error == "invalid_mfa_token")
            let another = try #require(try await api.login(account.email)["mfa_token"])
            let replay = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": another, "code": next])
            #expect(replay.status == .unauthorized)
            #expect(replay.error == "invalid_mfa_code")
        }
    }

    @Test func recoveryCodesWorkOnceEach() async throws {
        try await AuthHarness.make().run { api in
            let account = try await enrolled(api)
            let code = account.recoveryCodes[0]
            let first = try #require(try await api.login(account.email)["mfa_token"])
            let used = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": first, "recovery_code": code.uppercased()])
            #expect(used.status == .ok, "case and dashes do not matter: \(used.body)")
            let second = try #require(try await api.login(account.email)["mfa_token"])
            let again = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": second, "recovery_code": code])
            #expect(again.status == .unauthorized)
            let other = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": second, "recovery_code": account.recoveryCodes[1]])
            #expect(other.status == .ok)
        }
    }

    @Test func challengesDieAfterTooManyWrongCodes() async throws {
        try await AuthHarness.make().run { api in
            let account = try await enrolled(api)
            let challenge = try #require(try await api.login(account.email)["mfa_token"])
            for _ in 1...5 {
                let wrong = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": challenge, "code": "000000"])
                #expect(wrong.status == .unauthorized)
            }
            let right = account.totp.code(forStep: account.step + 1)
            let late = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": challenge, "code": right])
            #expect(late.error == "invalid_mfa_token")
            let both = try await api.send(.post, "/v1/login/mfa", json: ["mfa_token": challenge, "code": right, "recovery_code": "x"])
            #expect(both.status == .badRequest)
        }
    }

    @Test func enrolmentFailureModesAndDisabling() async throws {
        try await AuthHarness.make().run { api in
            let session = try await api.registeredSession()
            let early = try await api.send(.post, "/v1/mfa/totp/verify", json: ["code": "123456"], token: session.access)
            #expect(early.status == .conflict)
            #expect(early.error == "mfa_not_enrolled")
            _ = try await api.send(.post, "/v1/mfa/totp/enroll", token: session.access)
            let wrong = try await api.send(.post, "/v1/mfa/totp/verify", json: ["code": "12345x"], token: session.access)
            #expect(wrong.status == .badRequest)

            let account = try await enrolled(api)
            #expect(try await api.send(.post, "/v1/mfa/totp/enroll", token: account.access).error == "mfa_already_enabled")
            let badPassword = try await api.send(.delete, "/v1/mfa/totp", json: ["password": "not my password"], token: account.access)
            #expect(badPassword.status == .badRequest)
            let off = try await api.send(.delete, "/v1/mfa/totp", json: ["password": AuthAPI.password], token: account.access)
            #expect(off.status == .noContent)
            let plain = try await api.login(account.email)
            #expect(plain["access_token"] != nil, "without TOTP, login returns tokens directly")
            #expect(try await api.send(.post, "/v1/mfa/totp/enroll").status == .unauthorized)
        }
    }
}
