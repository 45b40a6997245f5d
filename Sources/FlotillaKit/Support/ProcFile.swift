#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small, allocation-light readers for `/proc` files (no Foundation).
enum ProcFile {
    /// The whole file as text, or nil if it cannot be opened.
    static func contents(of path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                bytes.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Number of entries in a directory, not counting `.` and `..`.
    static func countEntries(_ path: String) -> Int {
        var count = 0
        forEachEntry(path) { _ in count += 1 }
        return count
    }

    /// The names of a directory's entries, `.` and `..` left out.
    static func entryNames(_ path: String) -> [String] {
        var names = [String]()
        forEachEntry(path) { names.append(String(decoding: $0, as: UTF8.self)) }
        return names
    }

    /// Call `body` with each entry's name (its bytes, without the terminating NUL), `.` and
    /// `..` left out; nothing if the directory cannot be opened.
    private static func forEachEntry(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        // A record from readdir is only as long as its name needs (`d_reclen`), not
        // `sizeof(struct dirent)`: copying `entry.pointee` reads past the end of the last
        // record in the buffer, which crashed when that end was the end of a page. The name
        // is read in place, up to its NUL.
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name)!
        while let entry = readdir(directory) {
            let start = UnsafeRawPointer(entry) + nameOffset
            let name = UnsafeRawBufferPointer(start: start, count: strlen(start.assumingMemoryBound(to: CChar.self)))
            let isDotEntry = name.elementsEqual(".".utf8) || name.elementsEqual("..".utf8)
            if !isDotEntry { body(name) }
        }
    }
}
