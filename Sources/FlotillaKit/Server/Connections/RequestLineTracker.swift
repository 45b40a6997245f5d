import NIOCore

/// What the handlers of one connection know about the request being read; touched only on
/// the connection's event loop.
final class ConnectionReadState {
    /// Whether the current request's first line has fully arrived, so a header overflow
    /// is in its header fields (431) rather than in its target (414).
    var requestLineComplete = false
    /// Whether the request being served asked to close the connection (`Connection: close`).
    var closeRequested = false
    /// Requests whose head has arrived on this connection.
    var requestsStarted = 0
    /// Requests read whose response has not been written to the end.
    var requestsInFlight = 0
    /// Responses written to the end. A connection that has none yet is not closed when
    /// draining begins: its first request is on its way (or arriving), and is served.
    var responsesCompleted = 0
}

/// Draining began: connections that have carried a request close once idle; one the client
/// has only just opened stays, so its first request is served (with `Connection: close`)
/// instead of meeting a reset. The server's own quiesce, when the listener closes, closes
/// every idle connection as usual.
struct DrainStartedEvent {}

/// First in the pipeline, before the HTTP decoder: notes when the current request's line
/// has arrived (its first `\n`; it looks at a read's bytes only until it finds one), and
/// turns ``DrainStartedEvent`` into a quiesce for connections that have carried a request.
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

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is DrainStartedEvent else { return context.fireUserInboundEventTriggered(event) }
        if state.responsesCompleted > 0 { context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
    }
}
