import FlotillaKit
import Hummingbird
import Logging

/// `GET /echo/{name}[?delay_ms=N]`: answers `{"echo": name, "request_id": ...}`, after an
/// optional delay of up to 10 s (used to test draining of in-flight requests).
struct EchoRoutes {
    struct Echo: ResponseEncodable {
        let echo: String
        let requestID: String

        enum CodingKeys: String, CodingKey {
            case echo
            case requestID = "request_id"
        }
    }

    static let maximumDelayMilliseconds = 10_000

    func register(on router: Router<FlotillaRequestContext>) {
        router.get("/echo/{name}") { request, context -> Echo in
            let name = try context.parameters.require("name")
            if let delay = try Self.delay(request.uri.queryParameters["delay_ms"].map(String.init)) {
                try await Task.sleep(for: .milliseconds(delay))
            }
            context.logger.info("echo", metadata: ["name": .string(name)])
            return Echo(echo: name, requestID: context.correlation.requestID)
        }
    }

    /// The requested delay, or a 400 naming the parameter.
    static func delay(_ text: String?) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), (0...maximumDelayMilliseconds).contains(value) else {
            throw APIError.invalidField(
                "delay_ms", "delay_ms must be an integer from 0 to \(maximumDelayMilliseconds) (got '\(text)').")
        }
        return value
    }
}
