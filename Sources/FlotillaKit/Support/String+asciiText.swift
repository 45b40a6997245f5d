extension String {
    /// The text without leading and trailing white space.
    public func trimmingWhitespace() -> Substring {
        self[...].trimmingWhitespace()
    }

    /// ``trimmingWhitespace()`` as a `String`.
    public var trimmed: String { String(trimmingWhitespace()) }
}

extension Substring {
    /// The text without leading and trailing white space.
    public func trimmingWhitespace() -> Substring {
        var trimmed = self
        // ASCII white space is by far the common case; check its bytes before `Character`
        // (whose `isWhitespace` looks up Unicode properties).
        while let byte = trimmed.utf8.first, byte.isASCIIWhitespace { trimmed = trimmed.dropFirst() }
        while let byte = trimmed.utf8.last, byte.isASCIIWhitespace { trimmed = trimmed.dropLast() }
        while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// ``trimmingWhitespace()`` as a `String`.
    public var trimmed: String { String(trimmingWhitespace()) }
}

extension StringProtocol {
    /// Whether the two are equal ignoring ASCII case (header names, schemes), without
    /// allocating lowercased copies.
    public func equalsIgnoringASCIICase(_ other: some StringProtocol) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        return zip(utf8, other.utf8).allSatisfy { $0.asciiLowercased == $1.asciiLowercased }
    }
}

extension UInt8 {
    /// Space, tab, line feed, vertical tab, form feed or carriage return.
    var isASCIIWhitespace: Bool { self == 0x20 || (0x09...0x0D).contains(self) }

    /// The byte with `A`–`Z` mapped to `a`–`z`.
    var asciiLowercased: UInt8 { (0x41...0x5A).contains(self) ? self | 0x20 : self }
}
