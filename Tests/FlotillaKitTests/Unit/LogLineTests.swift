import Foundation
import Logging
import Synchronization
import Testing

@testable import FlotillaKit

@Suite("Log lines")
struct LogLineTests {
    func decode(_ line: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
    }

    @Test func jsonLineHasTheContractFieldsInOrder() throws {
        let line = LogLineFormatter.json(
            timestamp: "2026-11-21T19:52:04.123Z", level: .warning, service: "catalog", message: "stock low",
            metadata: ["sku": "prod_001", "span_id": "b7ad6b7169203331", "request_id": "r-1", "trace_id": "0af7651916cd43dd8448eb211c80319c"]
        )
        #expect(line.hasPrefix(#"{"timestamp":"2026-11-21T19:52:04.123Z","level":"warning","service":"catalog","message":"stock low","request_id":"r-1","trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331","sku":"prod_001"}"#))
        #expect(try decode(line)["sku"] == "prod_001")
    }

    @Test func secretsAreRedactedAtAnyDepth() throws {
        let line = LogLineFormatter.json(
            timestamp: "t", level: .info, service: "auth", message: "login",
            metadata: [
                "password": "hunter2", "Authorization": "Bearer abc.def", "refresh_token": "opaque",
                "request": .dictionary(["headers": .dictionary(["cookie": "session=1", "accept": "*/*"])]),
                "user": "ada",
            ]
        )
        #expect(!line.contains("hunter2"))
        #expect(!line.contains("abc.def"))
        #expect(!line.contains("opaque"))
        #expect(!line.contains("session=1"))
        let record = try decode(line)
        #expect(record["password"] == .string(LogRedaction.placeholder))
        #expect(record["request"]?["headers"]?["cookie"] == .string(LogRedaction.placeholder))
        #expect(record["request"]?["headers"]?["accept"] == "*/*")
        #expect(record["user"] == "ada")
    }

    @Test func controlCharactersAndQuotesAreEscaped() throws {
        let message = "line one\nline \"two\"\t\u{01} back\\slash é"
        let line = LogLineFormatter.json(timestamp: "t", level: .info, service: "s", message: message, metadata: [:])
        #expect(!line.contains("\n"))
        #expect(try decode(line)["message"]?.stringValue == message)
    }

    @Test func prettyLineIsReadable() {
        let line = LogLineFormatter.pretty(
            timestamp: "2026-11-21T19:52:04.123Z", level: .info, service: "habits", message: "checked in",
            metadata: ["request_id": "r-9", "habit": "run", "token": "t0ps3cret"]
        )
        #expect(line == "2026-11-21T19:52:04.123Z info     habits: checked in request_id=r-9 habit=run token=[REDACTED]")
    }

    @Test func handlerAddsTheCurrentRequestCorrelation() throws {
        let lines = LineSink()
        let handler = FlotillaLogHandler(service: "svc", format: .json, output: LogOutput { lines.append($0) }, level: .info)
        let logger = Logger(label: "test") { _ in handler }
        let correlation = RequestCorrelation(requestID: "req-7", trace: .startTrace())
        RequestCorrelation.$current.withValue(correlation) {
            logger.info("inside", metadata: ["hb.request.id": "dropped"])
        }
        logger.info("outside")
        let records = try lines.all.map(decode)
        #expect(records[0]["request_id"] == "req-7")
        #expect(records[0]["trace_id"]?.stringValue == correlation.trace.traceID)
        #expect(records[0]["span_id"]?.stringValue == correlation.trace.spanID)
        #expect(records[0]["hb.request.id"] == nil)
        #expect(records[1]["request_id"] == nil)
    }

    @Test func timestampsAreRFC3339UTCWithMilliseconds() {
        #expect(RFC3339.format(secondsSinceEpoch: 0, milliseconds: 7) == "1970-01-01T00:00:00.007Z")
        #expect(RFC3339.format(secondsSinceEpoch: 1_795_290_724, milliseconds: 123) == "2026-11-21T19:52:04.123Z")
        let now = RFC3339.now()
        #expect(now.count == 24)
        #expect(now.hasSuffix("Z"))
    }
}

/// Collects lines for handler tests.
final class LineSink: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ line: String) { storage.withLock { $0.append(line) } }
    var all: [String] { storage.withLock { $0 } }
}
