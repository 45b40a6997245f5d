/// A `Range: bytes=…` request for one range (RFC 9110 §14): `a-b`, `a-` or `-n` (the last
/// n bytes). Several ranges at once are refused rather than answered with multipart.
enum ByteRange: Equatable {
    /// The bytes to send.
    case satisfiable(ClosedRange<Int64>)
    /// No byte of the file is in the range (416).
    case unsatisfiable
    /// `bytes=0-1,5-6` (416 with a message: ask one range at a time).
    case multiple
    /// Not a bytes range this parser understands: RFC 9110 says ignore it (send the whole file).
    case ignored

    /// Read header `value` for a file of `size` bytes.
    static func parse(_ value: String, size: Int64) -> ByteRange {
        guard value.hasPrefix("bytes=") else { return .ignored }
        let specs = value.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count == 1 else { return .multiple }
        let parts = specs[0].filter { $0 != " " }.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .ignored }
        let first = parts[0].isEmpty ? nil : Int64(parts[0])
        let last = parts[1].isEmpty ? nil : Int64(parts[1])
        if !parts[0].isEmpty && first == nil || !parts[1].isEmpty && last == nil { return .ignored }
        switch (first, last) {
        case (let start?, let end):
            if let end, end < start { return .ignored }
            guard start < size else { return .unsatisfiable }
            return .satisfiable(start...min(end ?? size - 1, size - 1))
        case (nil, let suffix?):
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .satisfiable(max(0, size - suffix)...(size - 1))
        case (nil, nil):
            return .ignored
        }
    }
}
