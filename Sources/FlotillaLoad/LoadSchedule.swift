import FlotillaKit

/// When each request of an open-loop run starts: request `i` at `i / rate` seconds after the
/// start, whatever happened to the ones before it (wrk2's model). A server that slows down
/// therefore does not lower the offered rate, and latency is measured from the scheduled
/// start, so queueing behind a stall counts (no coordinated omission).
public struct LoadSchedule: Sendable, Equatable {
    /// Requests per second offered.
    public let rate: Double
    /// Time requests are started over (warm-up excluded).
    public let duration: Duration

    public init(rate: Double, duration: Duration) {
        self.rate = rate
        self.duration = duration
    }

    /// How many requests the run starts.
    public var count: Int {
        Int((duration.seconds * rate).rounded(.down))
    }

    /// Offset of request `index` from the start.
    public func offset(of index: Int) -> Duration {
        .nanoseconds(Int64((Double(index) * 1_000_000_000 / rate).rounded()))
    }
}

/// Runs a schedule against a clock: each request is started at its time in a task of its
/// own and never waited for before starting the next (the driver only waits for all of
/// them at the end). Generic over the clock so tests can drive it without waiting.
public enum OpenLoopDriver {
    /// Start `issue(index, scheduledAt)` for every request of `schedule` from `start`; return
    /// when all have finished.
    public static func run<C: Clock>(
        _ schedule: LoadSchedule, clock: C, start: C.Instant,
        issue: @escaping @Sendable (Int, C.Instant) async -> Void
    ) async where C.Duration == Duration, C.Instant: Sendable {
        await withTaskGroup(of: Void.self) { group in
            for index in 0..<schedule.count {
                let scheduled = start.advanced(by: schedule.offset(of: index))
                try? await clock.sleep(until: scheduled, tolerance: nil)
                group.addTask { await issue(index, scheduled) }
            }
        }
    }
}
