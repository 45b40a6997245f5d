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

extension LatencyRecorder {
    /// Run `operation` from `callers` concurrent loops for `duration` (after a short warm-up).
    static func measure(callers: Int, for duration: Duration, _ operation: @escaping @Sendable (Int) async throws -> Void) async throws -> LatencyRecorder {
        let warmUpEnd = ContinuousClock.now + .milliseconds(500)
        while ContinuousClock.now < warmUpEnd { try await operation(0) }
        let end = ContinuousClock.now + duration
        return try await withThrowingTaskGroup(of: LatencyRecorder.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    var recorder = LatencyRecorder()
                    var n = caller
                    while ContinuousClock.now < end {
                        let started = ContinuousClock.now
                        try await operation(n)
                        recorder.record(.now - started)
                        n += callers
                    }
                    return recorder
                }
            }
            var all = LatencyRecorder()
            for try await recorder in group { all.merge(recorder) }
            return all
        }
    }
}

extension Duration {
    var roundedMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
