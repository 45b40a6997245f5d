import FlotillaKit
import Foundation

/// What one full-load run cost in CPU: microseconds per request spent in the proxy (the
/// gateway, or nginx with its workers) and in the upstream, and how many of the machine's
/// cores were busy meanwhile — the figures that say where a proxy's throughput went.
struct CPUCost: Codable {
    /// nil for the run without a proxy.
    var proxyMicroseconds: Double?
    var upstreamMicroseconds: Double?
    var busyCores: Double?

    /// Run `measure` (a wrk run, which reports its rate) and charge the CPU the `proxy`
    /// process tree and the `upstream` process used meanwhile to the requests it served.
    static func measure(
        proxy: Int32?, upstream: Int32, seconds: Int, _ measure: () async throws -> ReferenceTools.Figures
    ) async throws -> (ReferenceTools.Figures, CPUCost) {
        func proxyCPU() -> Double? { proxy.flatMap { CPUTime.process($0, includingChildren: true) } }
        let proxyBefore = proxyCPU()
        let upstreamBefore = CPUTime.process(upstream)
        let machineBefore = CPUTime.machineBusy()
        let started = ContinuousClock.now
        let figures = try await measure()
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        let requests = figures.operationsPerSecond * Double(seconds)
        func perRequest(_ before: Double?, _ after: Double?) -> Double? {
            guard let before, let after, requests > 0 else { return nil }
            return (after - before) * 1_000_000 / requests
        }
        let cost = CPUCost(
            proxyMicroseconds: perRequest(proxyBefore, proxyCPU()),
            upstreamMicroseconds: perRequest(upstreamBefore, CPUTime.process(upstream)),
            busyCores: machineBefore.flatMap { before in CPUTime.machineBusy().map { ($0 - before) / elapsed } })
        return (figures, cost)
    }
}
