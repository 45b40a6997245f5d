import Foundation
import Testing

@testable import FlotillaKit
import FlotillaKitTesting

@Suite("CPU time from /proc")
struct CPUTimeTests {
    @Test func busyTicksLeaveOutIdleAndIOWait() {
        let procStat = "cpu  100 5 50 1000 20 3 7 2 0 0\ncpu0 50 2 25 500 10 1 3 1 0 0\nbtime 1795290000\n"
        // user 100 + nice 5 + system 50 + irq 3 + softirq 7 + steal 2
        #expect(CPUTime.busyTicks(procStat: procStat) == 167)
    }

    @Test func busyTicksNeedTheAggregateLine() {
        #expect(CPUTime.busyTicks(procStat: "cpu0 1 2 3 4 5 6 7 8\n") == nil)
        #expect(CPUTime.busyTicks(procStat: "cpu  1 2 3\n") == nil)
    }

    @Test func countsThisProcessWorking() throws {
        let pid = getpid()
        let before = try #require(CPUTime.process(pid))
        let deadline = ContinuousClock.now + .seconds(30)
        var checksum: UInt64 = 0
        while try #require(CPUTime.process(pid)) < before + 0.05, ContinuousClock.now < deadline {
            for value in 0..<1_000_000 as Range<UInt64> { checksum = checksum &* 31 &+ value }
        }
        #expect(try #require(CPUTime.process(pid)) >= before + 0.05, "checksum \(checksum)")
        #expect(try #require(CPUTime.machineBusy()) > 0)
    }

    @Test func includesChildrenWhenAsked() async throws {
        let childPID = try #require(CleanSpawn.spawn("/bin/sh", ["-c", "i=0; while [ $i -lt 20000000 ]; do i=$((i+1)); done"]))
        defer {
            kill(childPID, SIGKILL)
            _ = CleanSpawn.waitForExit(childPID)
        }
        var childCPU = 0.0
        for _ in 0..<300 where childCPU < 0.2 {
            try await Task.sleep(for: .milliseconds(100))
            childCPU = try #require(CPUTime.process(childPID))
        }
        let withChildren = try #require(CPUTime.process(getpid(), includingChildren: true))
        let own = try #require(CPUTime.process(getpid()))
        #expect(childCPU >= 0.2)
        #expect(withChildren - own >= childCPU - 0.05)
    }

    @Test func aProcessThatIsGoneHasNone() throws {
        let child = try #require(CleanSpawn.spawn("/bin/true", []))
        _ = CleanSpawn.waitForExit(child)
        #expect(CPUTime.process(child) == nil)
    }
}
