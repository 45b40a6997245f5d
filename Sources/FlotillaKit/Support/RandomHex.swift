/// Lower-case hexadecimal identifiers from the system's secure random source.
enum RandomHex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `byteCount` random bytes as `2 * byteCount` hex digits; never all zeros.
    static func make(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            var bytes = [UInt8]()
            bytes.reserveCapacity(byteCount * 2)
            var allZero = true
            for _ in 0..<byteCount {
                let byte = UInt8.random(in: .min ... .max, using: &generator)
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
