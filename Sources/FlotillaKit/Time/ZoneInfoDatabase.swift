#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// IANA time zones by name, read from the system's compiled zone files (`TZDIR`, default
/// `/usr/share/zoneinfo`; Debian's `tzdata` package) and kept once read.
///
/// Names are checked before any file is opened: `Area/Location` style, letters, digits,
/// `_`, `-` and `+` only, so no input can reach outside the directory.
public final class ZoneInfoDatabase: Sendable {
    /// The directory holding the zone files.
    public let directory: String
    private let loaded = Mutex<[String: ZoneInfo]>([:])

    /// The shared database (`TZDIR` or `/usr/share/zoneinfo`).
    public static let system = ZoneInfoDatabase(directory: getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo")

    public init(directory: String) {
        self.directory = directory
    }

    /// The zone named `identifier` (`Europe/Berlin`, `UTC`), or `nil` when there is none.
    public func zone(_ identifier: String) -> ZoneInfo? {
        if identifier == "UTC" { return .utc }
        if let zone = loaded.withLock({ $0[identifier] }) { return zone }
        guard Self.isPlausibleName(identifier), let bytes = Self.contents(of: directory + "/" + identifier),
            let zone = try? ZoneInfo(identifier: identifier, tzif: bytes)
        else { return nil }
        loaded.withLock { $0[identifier] = zone }
        return zone
    }

    /// Whether `identifier` looks like an IANA zone name (the file may still not exist).
    /// The `posix/` and `right/` copies (the latter counts leap seconds) are not offered.
    public static func isPlausibleName(_ identifier: String) -> Bool {
        guard (1...64).contains(identifier.utf8.count), !identifier.hasPrefix("posix/"), !identifier.hasPrefix("right/") else { return false }
        let parts = identifier.split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { part in
            !part.isEmpty && part.first != "." && part.first != "-"
                && part.utf8.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte.asciiLowercased) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                        || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                }
        }
    }

    /// A small file's bytes (zone files are a few KiB), or `nil`.
    private static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while bytes.count <= 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return bytes.isEmpty ? nil : bytes
    }
}
