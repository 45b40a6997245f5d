@testable import Gateway
import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

@Suite("gateway: route table")
struct RouteTableTests {
    func problems(_ json: String) -> [String] {
        do {
            _ = try RouteTable.parse(json, source: "test").compile(source: "test")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theBuiltInAndProfileTablesAreValid() throws {
        let builtIn = try RouteTable.parse(EmbeddedText.defaultRoutes, source: "built-in").compile(source: "built-in")
        #expect(builtIn.contains { $0.prefix == "/api/v1/auth" && $0.auth == .public })
        #expect(builtIn.first?.prefix.count ?? 0 >= builtIn.last?.prefix.count ?? 0, "longest prefix first")
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../helm/flotilla/files/gateway").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 2)
        for file in files {
            let json = try String(contentsOfFile: directory.appendingPathComponent(file).path, encoding: .utf8)
            #expect(throws: Never.self, "\(file)") { try RouteTable.parse(json, source: file).compile(source: file) }
        }
    }

    @Test func everyProblemIsReportedWithWhereItIs() {
        let found = problems("""
            {"upstreams": {"mystery": {}},
             "routes": [
               {"prefix": "api/v1/x", "upstream": "auth"},
               {"prefix": "/api/v1/y", "upstream": "nowhere"},
               {"prefix": "/api/v1/z", "upstream": "auth", "auth": "public", "roles": ["admin"]},
               {"prefix": "/api/v1/w", "upstream": "auth", "rate_limit": "missing", "methods": ["BREW"], "timeout_ms": 0}
             ]}
            """)
        let text = found.joined(separator: "\n")
        #expect(text.contains("upstreams.mystery: not a fleet service"))
        #expect(text.contains("routes[0] (api/v1/x).prefix must start with /"))
        #expect(text.contains("routes[1] (/api/v1/y).upstream 'nowhere'"))
        #expect(text.contains("routes[2] (/api/v1/z): a public route cannot require roles"))
        #expect(text.contains("no policy named 'missing'"))
        #expect(text.contains("'BREW' is not one of"))
        #expect(text.contains("timeout_ms must be 1 to 120000"))
        #expect(problems(#"{"routes": [{"prefix": "/a", "upstream": "auth", "auth": "sometimes"}]}"#).first?.contains("routes") == true)
        #expect(problems("{not json").count == 1)
        #expect(problems(#"{"routes": []}"#) == ["routes: the table has no routes"])
    }

    @Test func matchingIsBySegmentAndRewriteKeepsTheRest() throws {
        let routes = try RouteTable.parse(
            #"{"routes": [{"prefix": "/api/v1/habits", "upstream": "habits", "rewrite": "/habits"}, {"prefix": "/api/v1", "upstream": "auth", "rewrite": ""}]}"#,
            source: "t"
        ).compile(source: "t")
        #expect(routes[0].matches("/api/v1/habits/1") && routes[0].matches("/api/v1/habits"))
        #expect(!routes[0].matches("/api/v1/habitsx"))
        #expect(routes[0].upstreamPath(for: "/api/v1/habits/1/check-ins") == "/habits/1/check-ins")
        #expect(routes[1].upstreamPath(for: "/api/v1") == "/")
        #expect(routes[1].upstreamPath(for: "/api/v1/me") == "/me")
    }

    @Test func theBinaryRefusesABadTableAtStart() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bad-routes-\(UUID().uuidString).json").path
        try #"{"routes": [{"prefix": "/api/v1/x", "upstream": "nowhere"}]}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try await ServiceProcess.run(executable: "gateway", environment: ["GATEWAY_ROUTES": file])
        #expect(result.status == ServiceCommand.configurationErrorStatus)
        #expect(result.output.contains("GATEWAY_ROUTES"))
        #expect(result.output.contains("upstream 'nowhere' is neither a fleet service nor declared under upstreams"))
        let missing = try await ServiceProcess.run(executable: "gateway", environment: ["GATEWAY_ROUTES": "/nonexistent/routes.json"])
        #expect(missing.status == ServiceCommand.configurationErrorStatus)
        #expect(missing.output.contains("cannot be read"))
    }
}
