#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The standard `process_*` metrics, read from `/proc` at scrape time (Linux only).
public struct ProcessMetrics: Sendable, Equatable {
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    public var startTimeSeconds: Double
    public var openFileDescriptors: Double
    public var maxFileDescriptors: Double

    /// The figures from `/proc/self/stat` and friends, or nil where `/proc` is not mounted.
    public static func sample() -> ProcessMetrics? {
        #if os(Linux)
        guard let statLine = ProcFile.contents(of: "/proc/self/stat"),
            let stat = ProcessStat(statLine: statLine),
            let bootTime = ProcFile.contents(of: "/proc/stat").flatMap(ProcessStat.bootTime(procStat:))
        else { return nil }
        let ticks = ProcessStat.ticksPerSecond
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        var limit = rlimit()
        getrlimit(RLIMIT_NOFILE_VALUE, &limit)
        return ProcessMetrics(
            cpuSeconds: Double(stat.cpuTicks) / ticks,
            residentMemoryBytes: Double(stat.residentPages) * pageSize,
            virtualMemoryBytes: Double(stat.virtualBytes),
            startTimeSeconds: Double(bootTime) + Double(stat.startTicks) / ticks,
            openFileDescriptors: Double(ProcFile.countEntries("/proc/self/fd")),
            maxFileDescriptors: Double(limit.rlim_cur)
        )
        #else
        return nil
        #endif
    }

    /// Append the metrics in Prometheus text format.
    public func render(into text: inout String) {
        func metric(_ name: String, _ type: String, _ help: String, _ value: Double) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(PrometheusNumber.format(value))\n"
        }
        metric("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", cpuSeconds)
        metric("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", residentMemoryBytes)
        metric("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtualMemoryBytes)
        metric("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", startTimeSeconds)
        metric("process_open_fds", "gauge", "Number of open file descriptors.", openFileDescriptors)
        metric("process_max_fds", "gauge", "Maximum number of open file descriptors.", maxFileDescriptors)
    }
}

#if os(Linux)
#if canImport(Glibc)
private let RLIMIT_NOFILE_VALUE = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
#else
private let RLIMIT_NOFILE_VALUE = RLIMIT_NOFILE
#endif
#endif

/// The fields of `/proc/<pid>/stat` the process metrics need.
struct ProcessStat: Equatable {
    var parentID: Int
    var userTicks: Int
    var systemTicks: Int
    var startTicks: Int
    var virtualBytes: Int
    var residentPages: Int

    /// Parse a stat line. The command name (field 2) may contain spaces and parentheses,
    /// so fields are counted from the last `)`.
    init?(statLine: String) {
        guard let close = statLine.lastIndex(of: ")") else { return nil }
        // Fields from 3 (state) on.
        let fields = statLine[statLine.index(after: close)...].split(separator: " ")
        func field(_ number: Int) -> Int? { fields.count > number - 3 ? Int(fields[number - 3]) : nil }
        guard let parent = field(4), let utime = field(14), let stime = field(15), let start = field(22), let vsize = field(23), let rss = field(24)
        else {
            return nil
        }
        self.parentID = parent
        self.userTicks = utime
        self.systemTicks = stime
        self.startTicks = start
        self.virtualBytes = vsize
        self.residentPages = rss
    }

    /// User plus system time, in clock ticks.
    var cpuTicks: Int { userTicks + systemTicks }

    /// Clock ticks per second, the unit of the tick fields.
    static var ticksPerSecond: Double { Double(sysconf(Int32(_SC_CLK_TCK))) }

    /// `btime` (boot time, seconds since the epoch) from `/proc/stat`.
    static func bootTime(procStat: String) -> Int? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Int(line.dropFirst("btime ".count))
        }
        return nil
    }
}
