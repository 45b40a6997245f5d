#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// Random identifiers as lower-case hex: request IDs, trace and span IDs, lock tokens, nonces.
enum RandomHex {
    /// The lower-case hex digits, as UTF-8 bytes.
    static let digits = Array("0123456789abcdef".utf8)
    private static let pool = Mutex(RandomBytePool())

    /// `byteCount` random bytes as `2 * byteCount` hex digits; never all zeros.
    static func make(byteCount: Int) -> String {
        while true {
            var allZero = true
            // Written straight into the string's storage: one allocation per identifier.
            let text = String(unsafeUninitializedCapacity: byteCount * 2) { characters in
                pool.withLock { pool in
                    for index in 0..<byteCount {
                        let byte = pool.next()
                        if byte != 0 { allZero = false }
                        characters[2 * index] = digits[Int(byte >> 4)]
                        characters[2 * index + 1] = digits[Int(byte & 0x0F)]
                    }
                }
                return byteCount * 2
            }
            if !allZero { return text }
        }
    }

    /// Whether `text` is exactly `length` lower-case hex digits.
    static func isLowerHex(_ text: Substring, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { digits.contains($0) }
    }
}

/// Bytes from the kernel's generator, fetched 256 at a time (`getentropy`'s most) instead of
/// one `getrandom` system call per identifier (a proxied request used to make eight).
private struct RandomBytePool: ~Copyable {
    private var buffer = [UInt8](repeating: 0, count: 256)
    private var used = 256

    mutating func next() -> UInt8 {
        if used == buffer.count { refill() }
        defer { used += 1 }
        return buffer[used]
    }

    private mutating func refill() {
        let status = buffer.withUnsafeMutableBytes { getentropy($0.baseAddress!, $0.count) }
        // Fails only without kernel support for getrandom (Linux < 3.17), which Swift needs too.
        precondition(status == 0, "getentropy failed")
        used = 0
    }
}
