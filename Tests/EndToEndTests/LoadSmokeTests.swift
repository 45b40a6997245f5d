import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// `flotilla load` at a tiny size against a real fleet, so the load generator (and the
/// bench that uses it) cannot rot: the watch-store mix through the gateway, with a token.
@Suite("end to end: flotilla load smoke run", .serialized)
struct LoadSmokeTests {
    @Test func aShortOpenLoopRunOfTheWatchStoreMix() async throws {
        let fleet = try await FleetUnderTest.start(profile: "chronos")
        defer { fleet.abandon() }
        let output = fleet.home + "/load.json"
        let run = try await ServiceProcess.run(executable: "flotilla", arguments: [
            "load", "--url", fleet.url(of: "gateway"), "--token-url", fleet.url(of: "auth") + "/auth/token",
            "--scenario", "watch-store", "--rate", "30", "--duration", "2", "--warm-up", "1", "--connections", "8", "--json", output,
        ])
        #expect(run.status == 0, "\(run.output)")
        // 90 requests in all: under the chronos table's 100 per minute per client.
        #expect(run.output.contains("scenario watch-store: offered 30 req/s"), "\(run.output)")
        let result = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
        #expect(result["requests"] == .int(60), "2 s at 30 req/s after the warm-up: \(result)")
        #expect(result["errors"] == .int(0), "\(run.output)")
        #expect(result["latency"]?["p99_ms"] != nil && result["by_step"]?["browse"] != nil)
        let refused = try await ServiceProcess.run(executable: "flotilla", arguments: ["load", "--url", "http://example.com", "--duration", "1"])
        #expect(refused.status != 0 && refused.output.contains("loopback"), "\(refused.output)")
        _ = try await fleet.down()
    }
}
