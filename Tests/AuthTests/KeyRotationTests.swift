@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

@Suite("auth: signing-key rotation and discovery")
struct KeyRotationTests {
    static let client = FlotillaHTTPClient(configuration: .init(userAgent: "key-rotation-tests/1.0"))

    func kid(_ token: String) throws -> String? {
        try TestTokens.header(of: token)["kid"] as? String
    }

    @Test func tokensFromEveryPublishedKeyVerifyAndARemovedKeyFails() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotation-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let old = try TestKeys.rsa(kid: "2026-01-rs")
        let new = try SigningKey.generate(kid: "2026-06-es", algorithm: .es256)
        for key in [old, new] { try key.pem.write(toFile: "\(directory)/\(key.kid).pem", atomically: true, encoding: .utf8) }
        let schema = "auth_rot\(UUID().uuidString.prefix(8).lowercased())"
        let email = AuthAPI.uniqueEmail()

        // Before the rotation: the old key is pinned active.
        let before = try AuthHarness.make(keysDirectory: directory, environment: ["AUTH_SIGNING_KEY_ID": old.kid], schema: schema)
        let oldAccess = try await before.run { api in try await api.registeredSession(email).access }
        #expect(try kid(oldAccess) == old.kid)

        // During: both keys published, the newest signs; tokens of both verify, locally and remotely.
        let during = try AuthHarness.make(keysDirectory: directory, schema: schema)
        let newAccess = try await during.run { api in
            let login = try await api.login(email)
            let newAccess = try #require(login["access_token"])
            #expect(try kid(newAccess) == new.kid)
            #expect(try await api.send(.get, "/v1/me", token: oldAccess).status == .ok)
            #expect(try await api.send(.get, "/v1/me", token: newAccess).status == .ok)

            let jwks = try await api.send(.get, "/.well-known/jwks.json")
            #expect(jwks.headers[.contentType] == "application/jwk-set+json")
            let kids = (jwks.json["keys"] as? [[String: Any]])?.compactMap { $0["kid"] as? String }
            #expect(kids == [old.kid, new.kid])
            #expect(!jwks.body.contains("\"d\""), "no private key material")
            let discovery = try await api.send(.get, "/.well-known/openid-configuration")
            #expect(discovery.json["id_token_signing_alg_values_supported"] as? [String] == ["ES256", "RS256"])
            #expect(discovery["issuer"] == "flotilla-auth")

            // Another service's view: the kit verifier fetches this JWKS over libcurl.
            let port = try #require(api.client.port)
            let verifier = try remoteVerifier(authURL: "http://127.0.0.1:\(port)")
            let oldPrincipal = try await verifier.verify(oldAccess)
            #expect(oldPrincipal.roles == [.member])
            let newPrincipal = try await verifier.verify(newAccess)
            #expect(newPrincipal.subject == oldPrincipal.subject)
            return newAccess
        }

        // After: the old key's file is removed; its tokens stop verifying.
        try FileManager.default.removeItem(atPath: "\(directory)/\(old.kid).pem")
        let after = try AuthHarness.make(keysDirectory: directory, schema: schema)
        try await after.run { api in
            let rejected = try await api.send(.get, "/v1/me", token: oldAccess)
            #expect(rejected.status == .unauthorized)
            #expect(rejected.body.contains("unknown key"))
            #expect(try await api.send(.get, "/v1/me", token: newAccess).status == .ok)
            let jwks = try await api.send(.get, "/.well-known/jwks.json")
            #expect((jwks.json["keys"] as? [Any])?.count == 1)
        }
    }

    func remoteVerifier(authURL: String, minRefresh: String = "0", maxAge: String = "300") throws -> TokenVerifier {
        var environment = EnvironmentReader(["AUTH_SERVICE_URL": authURL, "AUTH_JWKS_MIN_REFRESH_SECONDS": minRefresh, "AUTH_JWKS_MAX_AGE_SECONDS": maxAge])
        let configuration = TokenVerifierConfiguration(environment: &environment)
        try environment.validate()
        let runtime = ServiceRuntime(configuration: .testing(name: "verifier"))
        return runtime.makeTokenVerifier(configuration, environment: environment, client: Self.client, denylist: nil)
    }

    @Test func anUnreachableJWKSIsAServiceUnavailableNotAnUnauthorized() async throws {
        let verifier = try remoteVerifier(authURL: "http://127.0.0.1:\(try FreePort.allocate())")
        let token = try await TokenIssuer(
            ring: try await SigningKeyRing(keys: [try SigningKey.generate(kid: "k", algorithm: .es256)], activeKeyID: nil),
            issuer: "flotilla-auth", audience: "flotilla", lifetime: .seconds(60)
        ).issue(subject: "u", kind: .user, roles: []).token
        await #expect(throws: TokenRejection.keysUnavailable) { try await verifier.verify(token) }
        #expect(TokenRejection.keysUnavailable.apiError.status == .serviceUnavailable)
    }

    @Test func keyDirectoryProblemsAreReportedClearly() async throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)").path
        await #expect(throws: SigningKeyError.self) {
            try await SigningKeyRing.load(SigningKeyConfiguration(directory: empty, generateWhenMissing: false))
        }
        let generated = try await SigningKeyRing.load(SigningKeyConfiguration(directory: empty, generatedAlgorithm: .es256, generateWhenMissing: true))
        #expect(generated.active.algorithm == .es256)
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(empty)/\(generated.active.kid).pem")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "generated private keys are owner-only")
        let reloaded = try await SigningKeyRing.load(SigningKeyConfiguration(directory: empty, generateWhenMissing: true))
        #expect(reloaded.active.kid == generated.active.kid, "a generated key is reused, not replaced")
        await #expect(throws: SigningKeyError.self) {
            try await SigningKeyRing.load(SigningKeyConfiguration(directory: empty, activeKeyID: "missing", generateWhenMissing: false))
        }
        #expect(throws: (any Error).self) { try SigningKey(kid: "bad", pem: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----") }
    }
}
