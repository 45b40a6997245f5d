import FlotillaKit
import Synchronization
import Testing

@testable import FlotillaLoad

@Suite("flotilla load: schedule, open loop, histogram, scenarios")
struct LoadGeneratorTests {
    @Test func theScheduleSpacesRequestsEvenly() {
        let schedule = LoadSchedule(rate: 100, duration: .seconds(2))
        #expect(schedule.count == 200)
        #expect(schedule.offset(of: 0) == .zero)
        #expect(schedule.offset(of: 50) == .milliseconds(500))
        #expect(schedule.offset(of: 199) == .milliseconds(1990))
        #expect(LoadSchedule(rate: 3, duration: .seconds(1)).offset(of: 1) == .nanoseconds(333_333_333))
    }

    /// The server answers nothing until every request has been started: a closed loop would
    /// never get past the first request; the open loop starts all of them on schedule.
    @Test(.timeLimit(.minutes(1)))
    func aStalledServerDoesNotLowerTheOfferedRate() async {
        let clock = ManualClock()
        let schedule = LoadSchedule(rate: 50, duration: .seconds(4))
        let started = Recorder()
        let gate = Gate()
        await OpenLoopDriver.run(schedule, clock: clock, start: clock.now) { index, scheduled in
            // The driver's clock had reached this request's time when it started it.
            #expect(clock.now.offset >= scheduled.offset)
            #expect(scheduled.offset == schedule.offset(of: index))
            if started.append(scheduled.offset) == schedule.count { gate.open() }
            await gate.wait()
        }
        let times = started.times.sorted()
        #expect(times.count == 200)
        #expect(times == (0..<200).map(schedule.offset(of:)), "every request was started on schedule while none had an answer")
    }

    @Test func histogramPercentilesAreWithinItsPrecision() {
        var histogram = LatencyHistogram()
        for milliseconds in 1...10_000 { histogram.record(.milliseconds(milliseconds)) }
        let summary = histogram.summary
        #expect(histogram.count == 10_000)
        #expect(abs(summary.p50 - 5000) <= 5, "\(summary.p50)")
        #expect(abs(summary.p99 - 9900) <= 10, "\(summary.p99)")
        #expect(abs(summary.p999 - 9990) <= 10, "\(summary.p999)")
        #expect(abs(summary.max - 10_000) <= 10, "\(summary.max)")
        var merged = LatencyHistogram()
        merged.add(histogram)
        merged.record(.seconds(60))
        #expect(merged.count == 10_001 && abs(merged.maxMilliseconds - 60_000) <= 60)
        #expect(LatencyHistogram().summary.p50.isNaN, "no data is not zero latency")
    }

    @Test func scenarioStepsComeInProportionToTheirWeights() throws {
        let scenario = try #require(Scenario.builtIn["watch-store"])
        var picker = Scenario.Picker(scenario)
        var counts = [Int](repeating: 0, count: scenario.steps.count)
        for _ in 0..<100_000 { counts[picker.next()] += 1 }
        let shares = counts.map { Double($0) / 100_000 }
        for (step, share) in zip(scenario.steps, shares) {
            #expect(abs(share - Double(step.weight) / 100) < 0.01, "\(step.name): \(share)")
        }
        var again = Scenario.Picker(scenario)
        var first = Scenario.Picker(scenario)
        #expect((0..<50).map { _ in again.next() } == (0..<50).map { _ in first.next() }, "a fixed seed repeats the mix")
    }
}

/// A clock whose sleeps complete at once, moving its time forward: the driver's schedule
/// runs without waiting, and its times can be checked exactly.
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol, Sendable {
        let offset: Duration

        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex(Instant(offset: .zero))
    var now: Instant { current.withLock { $0 } }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        current.withLock { if $0 < deadline { $0 = deadline } }
    }
}

/// Start times, from many tasks.
final class Recorder: Sendable {
    private let storage = Mutex<[Duration]>([])

    /// Record `time`; how many there are now.
    func append(_ time: Duration) -> Int {
        storage.withLock { $0.append(time); return $0.count }
    }

    var times: [Duration] { storage.withLock { $0 } }
}

/// Holds every waiter until opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> Bool in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if open { continuation.resume() }
        }
    }
}
