/// A W3C Trace Context position: which trace a piece of work belongs to and which span it is.
///
/// See https://www.w3.org/TR/trace-context/. `traceparent` is
/// `version-traceid-parentid-flags`, e.g. `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`.
public struct TraceContext: Sendable, Equatable {
    /// 32 lower-case hex digits, not all zero.
    public let traceID: String
    /// This span's 16 hex digit ID.
    public let spanID: String
    /// The caller's span, when the trace was continued from a `traceparent`.
    public let parentSpanID: String?
    /// Trace flags (bit 0: sampled).
    public let flags: UInt8

    public init(traceID: String, spanID: String, parentSpanID: String?, flags: UInt8) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.flags = flags
    }

    /// A placeholder for contexts not yet correlated (never sent anywhere).
    static let unset = TraceContext(traceID: String(repeating: "0", count: 32), spanID: String(repeating: "0", count: 16), parentSpanID: nil, flags: 0)

    /// A new trace with a new root span.
    public static func startTrace() -> TraceContext {
        TraceContext(traceID: RandomHex.make(byteCount: 16), spanID: RandomHex.make(byteCount: 8), parentSpanID: nil, flags: 1)
    }

    /// Continue the trace named by a caller's `traceparent` with a new span, or start a new
    /// trace when the header is absent or malformed.
    public static func continuing(_ traceparent: String?) -> TraceContext {
        guard let traceparent, let parent = Traceparent(parsing: traceparent) else {
            return startTrace()
        }
        return TraceContext(traceID: parent.traceID, spanID: RandomHex.make(byteCount: 8), parentSpanID: parent.parentID, flags: parent.flags)
    }

    /// A child span of this one, for an outgoing call.
    public func childSpan() -> TraceContext {
        TraceContext(traceID: traceID, spanID: RandomHex.make(byteCount: 8), parentSpanID: spanID, flags: flags)
    }

    /// The `traceparent` header naming this span.
    public var traceparent: String {
        // Sized up front (55 characters for valid IDs): one allocation, no regrowth.
        var header = "00-"
        header.reserveCapacity(7 + traceID.utf8.count + spanID.utf8.count)
        header += traceID
        header += "-"
        header += spanID
        header += "-"
        header.unicodeScalars.append(Unicode.Scalar(RandomHex.digits[Int(flags >> 4)]))
        header.unicodeScalars.append(Unicode.Scalar(RandomHex.digits[Int(flags & 0x0F)]))
        return header
    }
}

/// A parsed `traceparent` header.
public struct Traceparent: Sendable, Equatable {
    /// The trace ID.
    public let traceID: String
    /// The caller's span ID.
    public let parentID: String
    /// The trace flags.
    public let flags: UInt8

    /// Parse a header, returning nil for anything the specification says to ignore:
    /// wrong field sizes, upper-case or non-hex digits, version `ff`, all-zero trace or
    /// parent IDs, or extra data after a version-00 header.
    public init?(parsing header: String) {
        let fields = header.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count >= 4,
            RandomHex.isLowerHex(fields[0], length: 2), fields[0] != "ff",
            RandomHex.isLowerHex(fields[1], length: 32), fields[1].utf8.contains(where: { $0 != UInt8(ascii: "0") }),
            RandomHex.isLowerHex(fields[2], length: 16), fields[2].utf8.contains(where: { $0 != UInt8(ascii: "0") }),
            RandomHex.isLowerHex(fields[3], length: 2),
            let flags = UInt8(fields[3], radix: 16)
        else {
            return nil
        }
        // Version 00 has exactly four fields; later versions may append more.
        if fields[0] == "00" && fields.count != 4 { return nil }
        self.traceID = String(fields[1])
        self.parentID = String(fields[2])
        self.flags = flags
    }
}
