/// Latencies of one benchmark run, and the figures printed from them.
struct LatencyRecorder: Sendable {
    private(set) var samples: [Duration] = []

    mutating func record(_ latency: Duration) {
        samples.append(latency)
    }

    mutating func merge(_ other: LatencyRecorder) {
        samples += other.samples
    }

    var count: Int { samples.count }

    /// The `quantile` (0...1) latency in milliseconds.
    func milliseconds(at quantile: Double) -> Double {
        guard !samples.isEmpty else { return .nan }
        let sorted = samples.sorted()
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * quantile).rounded()))
        return sorted[index].roundedMilliseconds
    }

    var averageMilliseconds: Double {
        guard !samples.isEmpty else { return .nan }
        return samples.reduce(Duration.zero, +).roundedMilliseconds / Double(samples.count)
    }
}

extension Duration {
    var roundedMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
