#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// CPU time read from `/proc` (Linux only): a process's, with its children if asked (nginx's
/// workers under their master), and the whole machine's busy time. The benchmarks divide
/// the difference between two readings by the requests served in between.
public enum CPUTime {
    /// User and system seconds `pid` has used, plus those of its living direct children
    /// when `includingChildren`; nil if the process is gone or `/proc` is not mounted.
    public static func process(_ pid: Int32, includingChildren: Bool = false) -> Double? {
        guard let own = stat(of: pid) else { return nil }
        var ticks = own.cpuTicks
        if includingChildren {
            for child in ProcFile.entryNames("/proc").compactMap(Int32.init) where child != pid {
                guard let stat = stat(of: child), stat.parentID == Int(pid) else { continue }
                ticks += stat.cpuTicks
            }
        }
        return Double(ticks) / ProcessStat.ticksPerSecond
    }

    /// Seconds all CPUs together have spent busy since boot (everything but idle and
    /// I/O wait), from `/proc/stat`; nil where it cannot be read.
    public static func machineBusy() -> Double? {
        ProcFile.contents(of: "/proc/stat").flatMap(busyTicks(procStat:)).map { Double($0) / ProcessStat.ticksPerSecond }
    }

    /// Busy ticks from the aggregate `cpu` line: user, nice, system, irq, softirq, steal.
    static func busyTicks(procStat: String) -> Int? {
        guard let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Int($0) }
        guard fields.count >= 8 else { return nil }
        // user nice system idle iowait irq softirq steal
        return fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields[7]
    }

    private static func stat(of pid: Int32) -> ProcessStat? {
        ProcFile.contents(of: "/proc/\(pid)/stat").flatMap(ProcessStat.init(statLine:))
    }
}
