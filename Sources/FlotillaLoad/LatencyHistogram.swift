import Histogram

/// Latencies of a load run in an HdrHistogram (microseconds, 3 significant digits, up to
/// one hour), and the percentiles reported.
public struct LatencyHistogram: Sendable {
    public init() {}

    private var histogram = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: .three)

    public mutating func record(_ latency: Duration) {
        let microseconds = max(1, latency.components.seconds * 1_000_000 + latency.components.attoseconds / 1_000_000_000_000)
        _ = histogram.record(UInt64(min(microseconds, 3_600_000_000)))
    }

    public mutating func add(_ other: LatencyHistogram) {
        histogram.add(other.histogram)
    }

    public var count: UInt64 { histogram.totalCount }

    /// The latency at `percentile` (0–100) in milliseconds.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        count == 0 ? .nan : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    public var maxMilliseconds: Double {
        count == 0 ? .nan : Double(histogram.max) / 1000
    }

    /// p50, p90, p99, p99.9 and max, as reported.
    public var summary: LatencySummary {
        LatencySummary(
            p50: milliseconds(atPercentile: 50), p90: milliseconds(atPercentile: 90), p99: milliseconds(atPercentile: 99),
            p999: milliseconds(atPercentile: 99.9), max: maxMilliseconds)
    }
}

/// Latency percentiles in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public let p50: Double
    public let p90: Double
    public let p99: Double
    public let p999: Double
    public let max: Double

    enum CodingKeys: String, CodingKey {
        case p50 = "p50_ms", p90 = "p90_ms", p99 = "p99_ms", p999 = "p99_9_ms", max = "max_ms"
    }
}
