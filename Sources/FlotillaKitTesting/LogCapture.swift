import FlotillaKit
import Foundation
import Logging
import Synchronization

/// Collects the log lines an application writes, for tests to parse and assert on.
public final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    /// A ``LogOutput`` that appends to this capture.
    public var output: LogOutput {
        LogOutput { [self] line in lines.withLock { $0.append(line) } }
    }

    /// Every line written so far.
    public var allLines: [String] {
        lines.withLock { $0 }
    }

    /// Every line parsed as a JSON object; a line that is not one fails the decode.
    public func records() throws -> [JSONValue] {
        try allLines.map { try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8)) }
    }

    /// Records whose `message` equals `message`.
    public func records(withMessage message: String) throws -> [JSONValue] {
        try records().filter { $0["message"]?.stringValue == message }
    }
}

extension ServiceConfiguration {
    /// Configuration for an application under test: port 0, debug logs into `logs`,
    /// no drain delay.
    public static func testing(
        name: String = "test-service",
        version: String = "0.0.0-test",
        logs: LogCapture = LogCapture()
    ) -> ServiceConfiguration {
        var configuration = ServiceConfiguration(identity: ServiceIdentity(name: name, version: version, defaultPort: 0))
        configuration.host = "127.0.0.1"
        configuration.logLevel = .debug
        configuration.logOutput = logs.output
        configuration.drainDelay = .zero
        configuration.shutdownTimeout = .seconds(5)
        return configuration
    }
}
