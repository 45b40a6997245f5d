import FlotillaKit
import FlotillaKitTesting
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@Suite("Correlation and logging")
struct CorrelationAndLoggingTests {
    static func app() -> KitTestApplication {
        KitTestApplication(routes: { router in
            router.get("/work/{id}") { _, context in
                context.logger.info("doing work", metadata: ["password": "hunter2"])
                return context.correlation.requestID
            }
        })
    }

    @Test(arguments: [TestingSetup.router, .live])
    func echoesAnAcceptableRequestID(_ setup: TestingSetup) async throws {
        let app = Self.app()
        try await app.application.test(setup) { client in
            try await client.execute(uri: "/work/1", method: .get, headers: [.requestID: "client-id-1"]) { response in
                #expect(response.headers[.requestID] == "client-id-1")
                #expect(String(buffer: response.body) == "client-id-1")
            }
        }
    }

    @Test func replacesAnOverlongRequestID() async throws {
        let app = Self.app()
        try await app.application.test(.router) { client in
            let overlong = String(repeating: "x", count: 200)
            try await client.execute(uri: "/work/1", method: .get, headers: [.requestID: overlong]) { response in
                let echoed = try #require(response.headers[.requestID])
                #expect(echoed != overlong)
                #expect(echoed.count == 32)
            }
        }
    }

    @Test func continuesTheCallersTrace() async throws {
        let app = Self.app()
        try await app.application.test(.router) { client in
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            try await client.execute(uri: "/work/1", method: .get, headers: [.traceparent: incoming]) { response in
                let outgoing = try #require(response.headers[.traceparent].flatMap(Traceparent.init(parsing:)))
                #expect(outgoing.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
                #expect(outgoing.parentID != "00f067aa0ba902b7")
            }
        }
    }

    @Test func startsATraceWhenTheHeaderIsMalformed() async throws {
        let app = Self.app()
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/work/1", method: .get, headers: [.traceparent: "00-nonsense-01"]) { response in
                let outgoing = try #require(response.headers[.traceparent].flatMap(Traceparent.init(parsing:)))
                #expect(outgoing.traceID.count == 32)
            }
        }
    }

    @Test func everyLineOfARequestCarriesItsIDs() async throws {
        let app = Self.app()
        let incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/work/9", method: .get, headers: [.requestID: "trace-me", .traceparent: incoming]) {
                #expect($0.status == .ok)
            }
        }
        let lines = try app.logs.records().filter { $0["request_id"] == "trace-me" }
        let messages = lines.compactMap { $0["message"]?.stringValue }
        #expect(messages.contains("doing work"))
        #expect(messages.contains("request completed"))
        for line in lines {
            #expect(line["trace_id"] == "0af7651916cd43dd8448eb211c80319c")
            #expect(line["span_id"]?.stringValue?.count == 16)
            #expect(line["service"] == "test-service")
            #expect(line["level"] != nil)
            #expect(line["timestamp"]?.stringValue?.hasSuffix("Z") == true)
        }
        #expect(!app.logs.allLines.joined().contains("hunter2"))
    }

    @Test func accessLogRecordsRouteStatusDurationAndBytes() async throws {
        let app = Self.app()
        try await app.application.test(.router) { client in
            try await client.execute(uri: "/work/5", method: .get, headers: [.requestID: "acc-1"]) { _ in }
            try await client.execute(uri: "/live", method: .get, headers: [.requestID: "acc-2"]) { _ in }
        }
        let access = try app.logs.records(withMessage: "request completed")
        let work = try #require(access.first { $0["request_id"] == "acc-1" })
        #expect(work["level"] == "info")
        #expect(work["http.method"] == "GET")
        #expect(work["http.route"] == "/work/{id}")
        #expect(work["http.path"] == "/work/5")
        #expect(work["http.status"] == "200")
        #expect(work["bytes"] == "5")
        #expect(Double(work["duration_ms"]?.stringValue ?? "") != nil)
        let probe = try #require(access.first { $0["request_id"] == "acc-2" })
        #expect(probe["level"] == "debug")
    }
}
