@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("auth: OpenAPI document")
struct OpenAPITests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Sources/Auth/openapi.yaml").standardized.path

    @Test func everyRouteIsDocumentedAndEveryOperationServed() async throws {
        let harness = try AuthHarness.make(environment: ["AUTH_DEV_TOKENS": "true"])
        let application = try await buildApplication(harness.configuration)
        #expect(application.routes.contains(DeclaredRoute(method: .post, path: "/v1/login")))
        #expect(application.routes.count > 25)
        let mismatches = try OpenAPICoverage.mismatches(routes: application.routes, openAPIJSON: EmbeddedOpenAPI.json)
        #expect(mismatches.isEmpty, "\(mismatches)")
    }

    @Test func theDocumentIsServedAsJSON() async throws {
        try await AuthHarness.make().run { api in
            let reply = try await api.send(.get, "/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/json")
            #expect(reply.json["openapi"] as? String == "3.1.0")
            #expect((reply.json["paths"] as? [String: Any])?["/v1/login"] != nil)
        }
    }

    @Test func theDocumentIsValidOpenAPI() async throws {
        let result = try await OpenAPIValidator.validate(path: Self.specPath)
        #expect(result.status == 0, "openapi-spec-validator: \(result.findings)")
    }
}
