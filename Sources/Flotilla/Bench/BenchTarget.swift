import FlotillaLoad

/// One of the published targets, checked against a run's figures. A missed target is
/// reported as such, never left out.
struct BenchTarget: Codable {
    let name: String
    let value: Double?
    /// `>=` or `<=`.
    let comparison: String
    let limit: Double
    let unit: String
    /// `nil` when the figure was not measured.
    let met: Bool?

    init(_ name: String, _ value: Double?, atLeast limit: Double, unit: String = "×") {
        self.init(name: name, value: value, comparison: ">=", limit: limit, unit: unit)
    }

    init(_ name: String, _ value: Double?, atMost limit: Double, unit: String) {
        self.init(name: name, value: value, comparison: "<=", limit: limit, unit: unit)
    }

    private init(name: String, value: Double?, comparison: String, limit: Double, unit: String) {
        let measured = value.flatMap { $0.isFinite ? $0 : nil }
        self.name = name
        self.value = measured
        self.comparison = comparison
        self.limit = limit
        self.unit = unit
        met = measured.map { comparison == ">=" ? $0 >= limit : $0 <= limit }
    }

    var verdict: String {
        switch met {
        case true?: "met"
        case false?: "NOT met"
        case nil: "not measured"
        }
    }

    /// The targets of issues 6 and 11 from one run's sections.
    static func all(throughput: [ThroughputBench.Row], gateway: [GatewayBenchResult], services: [ServicesBench.Row]) -> [BenchTarget] {
        throughputTargets(throughput) + gatewayTargets(gateway) + serviceTargets(services)
    }

    /// Issue 11's throughput ratios.
    static func throughputTargets(_ throughput: [ThroughputBench.Row]) -> [BenchTarget] {
        func rate(_ key: String) -> Double? { throughput.first { $0.key == key }?.requestsPerSecond }
        func ratio(_ top: String, _ bottom: String) -> Double? {
            guard let top = rate(top), let bottom = rate(bottom), bottom > 0 else { return nil }
            return top / bottom
        }
        return [
            BenchTarget("kit /live ÷ bare Hummingbird route", ratio("kit_live", "bare_hummingbird_live"), atLeast: 0.85),
            BenchTarget("kit /live ÷ nginx return 200", ratio("kit_live", "nginx_return_200"), atLeast: 0.40),
            BenchTarget("cached product via gateway ÷ nginx proxy_pass", ratio("product_gateway", "product_nginx_proxy"), atLeast: 0.50),
            BenchTarget("single-row write endpoint ÷ pgbench INSERT", ratio("single_row_write", "pgbench_insert"), atLeast: 0.50),
        ]
    }

    /// Issue 6's targets from (a) direct, (b) gateway, (c) nginx (a reference (d) may
    /// follow); none unless all three ran.
    /// The throughput ratio is the median of the rounds' ratios (each round measures the
    /// three back to back, so a slow spell of the machine weighs on both sides of a ratio).
    static func gatewayTargets(_ gateway: [GatewayBenchResult]) -> [BenchTarget] {
        guard gateway.count >= 3 else { return [] }
        let (direct, viaGateway, nginx) = (gateway[0], gateway[1], gateway[2])
        return [
            BenchTarget("gateway (JWT + rate limit) ÷ nginx proxy_pass", RoundMedian.of(viaGateway.throughputRatios(over: nginx)), atLeast: 0.50),
            BenchTarget("gateway adds to p50 at light load", added(viaGateway.light, direct.light, at: 50), atMost: 1, unit: "ms"),
            BenchTarget("gateway adds to p99 at light load", added(viaGateway.light, direct.light, at: 99), atMost: 3, unit: "ms"),
        ]
    }

    /// Issue 11's per-service targets (the binary size only when a static build was measured).
    static func serviceTargets(_ services: [ServicesBench.Row]) -> [BenchTarget] {
        let statics = services.filter { $0.binaryKind.hasPrefix("static") }
        return [
            BenchTarget("resident memory per idle service (worst)", services.map(\.idleMegabytes).max(), atMost: 20, unit: "MB"),
            BenchTarget("resident memory under load (worst)", services.map(\.loadedMegabytes).max(), atMost: 64, unit: "MB"),
            BenchTarget("exec to ready (worst)", services.map(\.startMilliseconds).max(), atMost: 200, unit: "ms"),
            BenchTarget("stripped static binary (largest)", statics.map(\.binaryMegabytes).max(), atMost: 30, unit: "MB"),
        ]
    }

    /// One line per target: name, figure, the limit and the verdict.
    static func table(_ targets: [BenchTarget]) -> String {
        TextTable.render(["target", "measured", "limit", "verdict"], targets.map { target in
            let decimals = target.unit == "×" ? 2 : 1
            return [target.name, TextTable.format(target.value, decimals) + (target.value == nil ? "" : " \(target.unit)"),
                    "\(target.comparison) \(TextTable.format(target.limit, decimals)) \(target.unit)", target.verdict]
        })
    }

    private static func added(_ measured: ReferenceTools.Figures, _ base: ReferenceTools.Figures, at percentile: Int) -> Double? {
        guard let top = measured.percentiles[percentile], let bottom = base.percentiles[percentile] else { return nil }
        return top - bottom
    }
}
