#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Formats instants as RFC 3339 timestamps in UTC with millisecond precision,
/// e.g. `2026-11-21T19:52:04.123Z`, or in whole seconds, without going through Foundation's
/// formatters.
public enum RFC3339 {
    /// The current wall-clock time.
    public static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return format(secondsSinceEpoch: Int(spec.tv_sec), milliseconds: Int(spec.tv_nsec / 1_000_000))
    }

    /// The instant `secondsSinceEpoch` + `milliseconds`.
    public static func format(secondsSinceEpoch: Int, milliseconds: Int) -> String {
        wholeSeconds(secondsSinceEpoch) + "." + pad(milliseconds, 3) + "Z"
    }

    /// The instant `secondsSinceEpoch` in whole seconds (`2026-11-21T19:52:04Z`), as the kit's
    /// `JSONEncoder` writes dates.
    public static func format(secondsSinceEpoch: Int) -> String {
        wholeSeconds(secondsSinceEpoch) + "Z"
    }

    private static func wholeSeconds(_ secondsSinceEpoch: Int) -> String {
        var time = time_t(secondsSinceEpoch)
        var parts = tm()
        gmtime_r(&time, &parts)
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-"
            + pad(Int(parts.tm_mday), 2) + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2)
            + ":" + pad(Int(parts.tm_sec), 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
