import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import Logging

/// `flotilla bench http`: the libcurl client's throughput and latency for small GETs to a
/// local kit server at each concurrency, beside `wrk` against the same server.
struct HTTPBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http",
        abstract: "Benchmark the service-to-service HTTP client against wrk on a local kit server."
    )

    @Option(help: "Seconds each measurement runs (bounded: 1-60).")
    var seconds: Int = 5

    @Option(help: "Concurrent calls to measure at, comma-separated.")
    var concurrency: String = "1,16,64"

    func run() async throws {
        let levels = concurrency.split(separator: ",").compactMap { Int($0) }.filter { (1...512).contains($0) }
        guard !levels.isEmpty, (1...60).contains(seconds) else { throw ValidationError("--concurrency takes 1-512 each; --seconds 1-60") }
        var settings = ServiceConfiguration(identity: ServiceIdentity(name: "bench-target", version: "0", defaultPort: 0))
        settings.host = "127.0.0.1"
        settings.port = try FreePort.allocate()
        settings.logLevel = .warning
        let runtime = ServiceRuntime(configuration: settings)
        let router = runtime.makeRouter()
        router.get("/small") { _, _ in "hello" }
        let application = runtime.makeApplication(router: router)
        let server = Task { try await application.run() }
        defer { server.cancel() }
        let url = "http://127.0.0.1:\(settings.port)/small"
        try await Self.waitUntilListening(url)

        let client = FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-bench/0"))
        var rows = [BenchRow]()
        for level in levels {
            let measured = try await LatencyRecorder.measure(callers: level, for: .seconds(seconds)) { _ in
                let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
                guard response.status == 200 else { throw BenchFailure("status \(response.status)") }
            }
            let reference = try ReferenceTools.wrk(url: url, connections: level, seconds: seconds)
            rows.append(BenchRow(operation: "GET /small", callers: level, flotilla: measured, seconds: seconds, reference: reference, referenceName: "wrk"))
        }
        await client.shutdown()
        print(BenchRow.table(rows))
    }

    static func waitUntilListening(_ url: String) async throws {
        let probeURL = url.replacingOccurrences(of: "/small", with: "/live")
        for _ in 0..<200 {
            if (try? HealthcheckProbe(url: probeURL, timeoutSeconds: 1).run()) != nil { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw BenchFailure("the benchmark server did not start")
    }
}
