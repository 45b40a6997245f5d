extension StringProtocol {
    /// The text without leading and trailing white space.
    public func trimmingWhitespace() -> SubSequence {
        var trimmed = self[...]
        while trimmed.first?.isWhitespace == true { trimmed = trimmed.dropFirst() }
        while trimmed.last?.isWhitespace == true { trimmed = trimmed.dropLast() }
        return trimmed
    }
}
