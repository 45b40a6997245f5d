import ArgumentParser
import FlotillaKit
import FlotillaKitTesting
import Foundation
import Hummingbird
import Logging

/// `flotilla bench gateway`: one upstream route measured with `wrk` (a) directly, (b) through
/// the release `gateway` binary with JWT verification and Redis rate limiting, and (c)
/// through nginx `proxy_pass`, at full load and at a light load for the latency it adds.
struct GatewayBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Benchmark the gateway against the upstream alone and nginx proxy_pass.",
        discussion: "Needs FLOTILLA_TEST_REDIS_URL (scripts/bench starts Redis), wrk, nginx, and the gateway built next to this binary."
    )

    @Option(help: "Seconds each measurement runs (bounded: 1-60).")
    var seconds: Int = 5

    @Option(help: "Connections for the throughput runs.")
    var connections: Int = 64

    @Option(help: "Connections for the light-load latency runs.")
    var lightConnections: Int = 2

    @Option(help: "Interleaved rounds of the three targets; each figure is its target's median round.")
    var rounds: Int = 3

    func run() async throws {
        guard (1...60).contains(seconds), (1...512).contains(connections), (1...64).contains(lightConnections), (1...10).contains(rounds) else {
            throw ValidationError("--seconds 1-60, --connections 1-512, --light-connections 1-64, --rounds 1-10")
        }
        let results = try await GatewayBench(seconds: seconds, connections: connections, lightConnections: lightConnections, rounds: rounds).run()
        print(GatewayBenchResult.report(results, connections: connections, lightConnections: lightConnections, seconds: seconds))
    }

    /// The upstream (`GET /small`) and the JWKS the gateway verifies tokens against.
    static func upstreamApplication(port: Int, jwks: JSONWebKeySet) throws -> FlotillaApplication {
        var settings = ServiceConfiguration(identity: ServiceIdentity(name: "bench-upstream", version: "0", defaultPort: port))
        settings.host = "127.0.0.1"
        settings.logLevel = .warning
        let runtime = ServiceRuntime(configuration: settings)
        let router = runtime.makeRouter()
        router.get("/small") { _, _ in "hello" }
        router.get("/.well-known/jwks.json") { _, _ in JSONResponse.make(jwks) }
        return runtime.makeApplication(router: router)
    }
}

/// Issue 6's comparison: one upstream route (a) directly, (b) through the gateway with JWT
/// verification and Redis rate limiting, (c) through nginx `proxy_pass`, and (d) through a
/// bare Hummingbird route forwarding with the kit's client — the floor of (b)'s stack — all
/// back to back in each of `rounds` rounds, so that the machine's slow spells fall on each.
struct GatewayBench {
    let seconds: Int
    let connections: Int
    let lightConnections: Int
    var rounds = 1

    func run() async throws -> [GatewayBenchResult] {
        guard let redisURL = ProcessInfo.processInfo.environment["FLOTILLA_TEST_REDIS_URL"] else {
            throw ValidationError("FLOTILLA_TEST_REDIS_URL is not set; run scripts/bench gateway")
        }
        let issuer = try await TestTokenIssuer(kid: "bench-rs256", rsa: true)
        let token = try await issuer.token(subject: "bench-user", lifetime: .seconds(3600))
        let upstreamPort = try FreePort.allocate()
        let upstream = try GatewayBenchCommand.upstreamApplication(port: upstreamPort, jwks: issuer.jwks)
        let server = Task { try await upstream.run() }
        defer { server.cancel() }
        let upstreamURL = "http://127.0.0.1:\(upstreamPort)"
        try await HTTPBenchCommand.waitUntilListening(upstreamURL + "/small")

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-gateway-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let gatewayPort = try FreePort.allocate()
        let gateway = try BenchServers.startGateway(port: gatewayPort, upstreamURL: upstreamURL, redisURL: redisURL, directory: work)
        defer { gateway.terminate() }
        let nginxPort = try FreePort.allocate()
        let nginx = try BenchServers.startNginx(port: nginxPort, upstreamPort: upstreamPort, directory: work)
        defer { nginx.terminate() }
        let bareProxyPort = try FreePort.allocate()
        let bareProxy = try BenchServers.spawn(
            CommandLine.arguments[0], ["bench", "bare-server", "--port", String(bareProxyPort), "--proxy-to", upstreamURL], environment: [:])
        defer { bareProxy.terminate() }
        try await HTTPBenchCommand.waitUntilListening("http://127.0.0.1:\(gatewayPort)/small")
        try await BenchServers.waitForAnswer("http://127.0.0.1:\(nginxPort)/small")
        try await BenchServers.waitForAnswer("http://127.0.0.1:\(bareProxyPort)/proxy/small")

        // The upstream runs in this process; the proxies are child processes.
        let targets: [(String, String, [String], proxy: Int32?)] = [
            ("(a) upstream direct", upstreamURL + "/small", [], nil),
            ("(b) gateway: JWT + rate limit", "http://127.0.0.1:\(gatewayPort)/api/v1/small", ["Authorization: Bearer \(token)"], gateway.processIdentifier),
            ("(c) nginx proxy_pass", "http://127.0.0.1:\(nginxPort)/small", [], nginx.processIdentifier),
            // The reference for (b): the same framework and HTTP client with no middleware or policy.
            ("(d) bare Hummingbird + kit client", "http://127.0.0.1:\(bareProxyPort)/proxy/small", [], bareProxy.processIdentifier),
        ]
        var measured = [[GatewayBenchResult.Round]](repeating: [], count: targets.count)
        for _ in 0..<max(1, rounds) {
            for (index, (_, url, headers, proxy)) in targets.enumerated() {
                _ = try await ReferenceTools.wrkOffThePool(url: url, connections: connections, seconds: 1, headers: headers)  // warm-up
                let (full, cost) = try await CPUCost.measure(proxy: proxy, upstream: getpid(), seconds: seconds) {
                    try await ReferenceTools.wrkOffThePool(url: url, connections: connections, seconds: seconds, headers: headers)
                }
                let light = try await ReferenceTools.wrkOffThePool(url: url, connections: lightConnections, seconds: seconds, headers: headers)
                measured[index].append(GatewayBenchResult.Round(full: full, light: light, cost: cost))
            }
        }
        return zip(targets, measured).map { target, rounds in GatewayBenchResult(name: target.0, rounds: rounds) }
    }
}
