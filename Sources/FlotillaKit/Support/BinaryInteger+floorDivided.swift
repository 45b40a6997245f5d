extension BinaryInteger {
    /// Division rounding towards negative infinity (`-1 / 7` is `-1`, not `0`): day and week
    /// numbers before an epoch.
    public func floorDivided(by divisor: Self) -> Self {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
