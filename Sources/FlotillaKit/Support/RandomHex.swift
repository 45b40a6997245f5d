/// Lower-case hexadecimal identifiers from the system's secure random source.
enum RandomHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `byteCount` random bytes as `2 * byteCount` hex digits; never all zeros. Draws eight
    /// bytes per call to the generator (each call is a `getrandom` system call).
    static func make(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            var bytes = [UInt8]()
            bytes.reserveCapacity(byteCount * 2)
            var allZero = true
            var word: UInt64 = 0
            for index in 0..<byteCount {
                if index % 8 == 0 { word = generator.next() }
                let byte = UInt8(truncatingIfNeeded: word >> (UInt64(index % 8) * 8))
                if byte != 0 { allZero = false }
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0F)])
            }
            if !allZero { return String(decoding: bytes, as: UTF8.self) }
        }
    }

    /// Whether `text` is exactly `length` lower-case hex digits.
    static func isLowerHex(_ text: Substring, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { digits.contains($0) }
    }
}
