@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

/// Service clients declared in `AUTH_SERVICE_CLIENTS` exist from the start, so one secret
/// wires both ends of a client-credentials grant (orders' restocks in a cluster and under
/// `flotilla up`).
@Suite("auth: service clients declared in the environment")
struct DeclaredServiceClientTests {
    static let secret = "a-declared-secret-of-at-least-32-characters"
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func aDeclaredClientGetsTokensWithItsSecret() async throws {
        let declared = #"{"orders": {"secret": "\#(Self.secret)", "scopes": ["catalog:inventory"]}}"#
        try await AuthHarness.make(environment: [DeclaredServiceClient.variable: declared]).run { api in
            let token = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=client_credentials&client_id=orders&client_secret=\(Self.secret)")
            #expect(token.status == .ok, "\(token.body)")
            #expect(token["scope"] == "catalog:inventory")
            let wrong = try await api.send(.post, "/oauth/token", headers: Self.form, body: "grant_type=client_credentials&client_id=orders&client_secret=not-it")
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test func badDeclarationsStopTheServiceWithoutShowingSecrets() {
        let cases = [
            "not json",
            #"{"Orders!": {"secret": "\#(Self.secret)", "scopes": ["catalog:inventory"]}}"#,
            #"{"orders": {"secret": "short-secret", "scopes": ["catalog:inventory"]}}"#,
            #"{"orders": {"secret": "\#(Self.secret)", "scopes": []}}"#,
        ]
        for text in cases {
            var environment = EnvironmentReader([DeclaredServiceClient.variable: text])
            #expect(DeclaredServiceClient.read(&environment).isEmpty, "\(text)")
            let error = #expect(throws: ConfigurationError.self) { try environment.validate() }
            #expect(error.map { "\($0)" }?.contains(DeclaredServiceClient.variable) == true)
            #expect(error.map { "\($0)" }?.contains(Self.secret) == false, "the secret is never echoed")
            #expect(error.map { "\($0)" }?.contains("short-secret") == false)
        }
    }
}
