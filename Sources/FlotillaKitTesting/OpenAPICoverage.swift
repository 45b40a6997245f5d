import FlotillaKit
import Foundation
import HTTPTypes

/// Checks a service's OpenAPI document against the routes it really serves.
public enum OpenAPICoverage {
    /// The ops endpoints every service has; documented once for the fleet, not per service.
    public static let opsPaths: Set<String> = ["/live", "/ready", "/health", "/metrics"]

    /// Everything wrong with service `target`'s API description: ``mismatches(routes:openAPIJSON:)``
    /// between its routes and its embedded document, and the validator's findings on
    /// `Sources/<target>/openapi.yaml`. Empty when all is well.
    public static func audit(routes: [DeclaredRoute], openAPIJSON: String, target: String) async throws -> [String] {
        let path = repositoryRoot.appendingPathComponent("Sources/\(target)/openapi.yaml").path
        let validation = try await OpenAPIValidator.validate(path: path)
        let findings = validation.status == 0 ? [] : ["openapi.yaml: " + "\(validation.findings)"]
        return try mismatches(routes: routes, openAPIJSON: openAPIJSON) + findings
    }

    /// The checkout this file is in.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `METHOD path` of every declared route the document does not describe, and of every
    /// documented operation no route serves. Empty when they agree.
    public static func mismatches(routes: [DeclaredRoute], openAPIJSON: String) throws -> [String] {
        guard let document = try JSONSerialization.jsonObject(with: Data(openAPIJSON.utf8)) as? [String: Any],
            let paths = document["paths"] as? [String: [String: Any]]
        else { return ["the document has no `paths` object"] }
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        let documented = Set(paths.flatMap { path, operations in
            operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
        })
        // A HEAD beside a GET of the same path is the GET's (documented with it); a HEAD of its
        // own (tus's `HEAD /uploads/{id}`) is an operation like any other.
        let gets = Set(routes.filter { $0.method == .get }.map(\.path))
        let served = Set(routes.filter { !opsPaths.contains($0.path) && ($0.method != .head || !gets.contains($0.path)) }.map(\.description))
        return (served.subtracting(documented).map { "undocumented: \($0)" } + documented.subtracting(served).map { "not served: \($0)" }).sorted()
    }
}
