extension Duration {
    /// The duration in milliseconds, rounded to microseconds (for logs and health output).
    var roundedMilliseconds: Double {
        let milliseconds = Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
        return (milliseconds * 1000).rounded() / 1000
    }
}
