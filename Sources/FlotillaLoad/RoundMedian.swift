/// Medians for a measurement repeated in interleaved rounds, so that one round disturbed by
/// the machine (a noisy neighbour, a stalled core) cannot decide a benchmark's verdict.
public enum RoundMedian {
    /// The median of `values` (the mean of the two middle ones for an even count); nil when
    /// `values` is empty or holds a NaN.
    public static func of(_ values: [Double]) -> Double? {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    /// The position in `values` of the round whose value is the median (the lower of the two
    /// middle ones for an even count), so that round's other figures can be reported with
    /// it; nil when `values` is empty or holds a NaN.
    public static func round(of values: [Double]) -> Int? {
        guard !values.isEmpty, !values.contains(where: \.isNaN) else { return nil }
        let order = values.indices.sorted { values[$0] < values[$1] }
        return order[(order.count - 1) / 2]
    }
}
