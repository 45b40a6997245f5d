#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where finished log lines are written.
public struct LogOutput: Sendable {
    private let sink: @Sendable (String) -> Void

    /// Create an output that hands each finished line (without newline) to `sink`.
    public init(_ sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Write one line.
    public func write(_ line: String) {
        sink(line)
    }

    /// Standard output, one `write(2)` per line so concurrent lines never interleave.
    public static let standardOutput = LogOutput { line in
        StandardOutputWriter.shared.write(line)
    }
}

/// Serialises writes to file descriptor 1.
private final class StandardOutputWriter: Sendable {
    static let shared = StandardOutputWriter()
    private let lock = Mutex(())

    func write(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = systemWrite(1, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}

#if canImport(Darwin)
private let systemWrite = Darwin.write
#elseif canImport(Musl)
private let systemWrite = Musl.write
#else
private let systemWrite = Glibc.write
#endif
