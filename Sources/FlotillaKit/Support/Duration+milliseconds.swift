extension Duration {
    /// The duration in milliseconds, rounded to microseconds (for logs and health output).
    public var roundedMilliseconds: Double {
        let milliseconds = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return (milliseconds * 1000).rounded() / 1000
    }

    /// The duration in whole milliseconds (truncated), for C APIs that take `long` milliseconds.
    public var wholeMilliseconds: Int {
        Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }

    /// The duration in seconds, for `TimeInterval` APIs.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
