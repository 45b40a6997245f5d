import Testing

@testable import FlotillaKit

@Suite("W3C traceparent")
struct TraceContextTests {
    static let valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    @Test func parsesAValidHeader() throws {
        let parent = try #require(Traceparent(parsing: Self.valid))
        #expect(parent.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(parent.parentID == "00f067aa0ba902b7")
        #expect(parent.flags == 1)
    }

    @Test(arguments: [
        "",
        "garbage",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",  // missing flags
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",  // upper case
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",  // short trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b-01",  // short parent id
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  // zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",  // zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // forbidden version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // v00 has 4 fields
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-zz",  // non-hex flags
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",  // short version
    ])
    func rejectsMalformedHeaders(_ header: String) {
        #expect(Traceparent(parsing: header) == nil)
    }

    @Test func acceptsExtraFieldsFromLaterVersions() {
        #expect(Traceparent(parsing: "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future") != nil)
    }

    @Test func continuingKeepsTheTraceAndStartsANewSpan() {
        let context = TraceContext.continuing(Self.valid)
        #expect(context.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(context.parentSpanID == "00f067aa0ba902b7")
        #expect(context.spanID != "00f067aa0ba902b7")
        #expect(context.traceparent == "00-4bf92f3577b34da6a3ce929d0e0e4736-\(context.spanID)-01")
    }

    @Test func malformedHeaderStartsAFreshTrace() throws {
        let context = TraceContext.continuing("00-zzzz-00f067aa0ba902b7-01")
        #expect(context.parentSpanID == nil)
        #expect(context.traceID.count == 32)
        let reparsed = try #require(Traceparent(parsing: context.traceparent))
        #expect(reparsed.traceID == context.traceID)
        #expect(reparsed.parentID == context.spanID)
    }

    @Test func childSpansShareTheTrace() {
        let root = TraceContext.startTrace()
        let child = root.childSpan()
        #expect(child.traceID == root.traceID)
        #expect(child.parentSpanID == root.spanID)
        #expect(child.spanID != root.spanID)
    }

    @Test func unsampledFlagsRoundTrip() {
        let context = TraceContext.continuing("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")
        #expect(context.flags == 0)
        #expect(context.traceparent.hasSuffix("-00"))
    }
}

@Suite("X-Request-ID")
struct RequestIDTests {
    @Test func keepsAnAcceptableID() {
        #expect(RequestID.accept("req-42_abc.XYZ") == "req-42_abc.XYZ")
    }

    @Test(arguments: ["", "has space", "tab\there", "ünïcode", String(repeating: "a", count: 129), "line\nbreak"])
    func replacesAnUnacceptableID(_ candidate: String) {
        let accepted = RequestID.accept(candidate)
        #expect(accepted != candidate)
        #expect(accepted.count == 32)
    }

    @Test func acceptsExactly128Characters() {
        let candidate = String(repeating: "a", count: 128)
        #expect(RequestID.accept(candidate) == candidate)
    }

    @Test func generatesWhenAbsent() {
        let first = RequestID.accept(nil)
        let second = RequestID.accept(nil)
        #expect(first != second)
        #expect(first.allSatisfy { $0.isHexDigit })
    }
}
