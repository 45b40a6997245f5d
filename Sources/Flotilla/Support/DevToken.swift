import FlotillaKit
import FlotillaKitTesting
import Foundation

/// A development token from auth's `POST /auth/token` (only when auth runs with
/// `AUTH_DEV_TOKENS`, as under `flotilla up`): what `flotilla load` and the benchmarks
/// authenticate with.
enum DevToken {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// A token for `subject` from `url` (auth's `/auth/token`).
    static func fetch(from url: String, subject: String) async throws -> String {
        let reply = try await HTTPTestClient.send(
            "POST", url, headers: [("Content-Type", "application/json")],
            body: #"{"userId": "\#(subject)", "email": "\#(subject)@example.com"}"#, timeout: .seconds(5))
        guard reply.status == 200, let token = (try? JSONDecoder().decode(JSONValue.self, from: Data(reply.body.utf8)))?["token"]?.stringValue else {
            throw Unavailable(description: "no dev token from \(url) (HTTP \(reply.status)): \(reply.body.prefix(200))")
        }
        return token
    }
}
