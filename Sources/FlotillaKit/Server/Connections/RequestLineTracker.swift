import NIOCore

/// What the handlers of one connection know about the request being read; touched only on
/// the connection's event loop.
final class ConnectionReadState {
    /// Whether the current request's first line has fully arrived, so a header overflow
    /// is in its header fields (431) rather than in its target (414).
    var requestLineComplete = false
    /// Requests read whose response has not been written to the end.
    var requestsInFlight = 0
}

/// First in the pipeline, before the HTTP decoder: notes when the current request's line
/// has arrived (its first `\n`). Looks at a read's bytes only until it finds one.
final class RequestLineTracker: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let state: ConnectionReadState

    init(state: ConnectionReadState) {
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !state.requestLineComplete, unwrapInboundIn(data).readableBytesView.contains(UInt8(ascii: "\n")) {
            state.requestLineComplete = true
        }
        context.fireChannelRead(data)
    }
}
