import Testing

@testable import FlotillaKit

@Suite("Process metrics")
struct ProcessMetricsTests {
    @Test func parsesAStatLineWhoseNameHasSpacesAndParentheses() throws {
        let line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 75 0 0 20 0 8 0 123456 987654321 2048 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0"
        let stat = try #require(ProcessStat(statLine: line))
        #expect(stat.parentID == 1)
        #expect(stat.userTicks == 250)
        #expect(stat.systemTicks == 75)
        #expect(stat.cpuTicks == 325)
        #expect(stat.startTicks == 123456)
        #expect(stat.virtualBytes == 987654321)
        #expect(stat.residentPages == 2048)
    }

    @Test func rejectsATruncatedLine() {
        #expect(ProcessStat(statLine: "4242 (x) S 1 2 3") == nil)
    }

    @Test func readsBootTime() {
        #expect(ProcessStat.bootTime(procStat: "cpu  1 2 3\nintr 5\nbtime 1795290000\nprocesses 9\n") == 1_795_290_000)
    }

    @Test func samplesThisProcess() throws {
        let sample = try #require(ProcessMetrics.sample())
        #expect(sample.residentMemoryBytes > 1_000_000)
        #expect(sample.openFileDescriptors >= 3)
        #expect(sample.maxFileDescriptors >= sample.openFileDescriptors)
        #expect(sample.startTimeSeconds > 1_700_000_000)
    }
}
