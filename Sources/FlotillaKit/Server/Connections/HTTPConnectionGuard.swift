import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// After the HTTP codec, one per connection:
/// - a request the HTTP parser refuses (oversized headers, an unknown method, an overlong or
///   malformed target) is answered with the error envelope and a `request_id`, then the
///   connection closes — instead of the framework's bare, empty `400`;
/// - while the service drains, and for requests that asked to close, the response says
///   `Connection: close` and the connection closes after it, so clients reconnect (to another
///   replica) instead of reusing a connection that is going away.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let state: ConnectionReadState
    private let lifecycle: LifecycleState
    private let logger: Logger

    init(state: ConnectionReadState, lifecycle: LifecycleState, logger: Logger) {
        self.state = state
        self.lifecycle = lifecycle
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        lifecycle.connections.add(context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        lifecycle.connections.remove(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        lifecycle.connections.remove(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            // A client that asked to close is told the response closes too, so it cannot
            // reuse the connection as the server shuts it.
            state.closeRequested = head.headerFields[.connection].map { $0.lowercased().split(separator: ",").contains { $0.filter { $0 != " " && $0 != "\t" } == "close" } } ?? false
            if state.requestsStarted == 0 { lifecycle.connections.noteFirstRequest() }
            state.requestsStarted += 1
            state.requestsInFlight += 1
            context.fireChannelRead(data)
            // A request that arrives while draining is served, then its connection closes.
            if lifecycle.isDraining { context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        case .end:
            // Bytes after this belong to the next request.
            state.requestLineComplete = false
            context.fireChannelRead(data)
        case .body:
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head) where (lifecycle.isDraining || state.closeRequested) && head.status.kind != .informational:
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .end:
            state.requestsInFlight -= 1
            state.responsesCompleted += 1
            context.write(data, promise: promise)
        default:
            context.write(data, promise: promise)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Mid-request the framework owns the response; between requests the refusal is ours.
        guard let parserError = error as? HTTPParserError, state.requestsInFlight == 0 else {
            context.fireErrorCaught(error)
            return
        }
        // Bytes after a request that closed the connection: nothing to answer, only to close.
        if parserError == .closedConnection {
            context.close(promise: nil)
            return
        }
        let refusal = ParserRefusal(parserError, requestLineComplete: state.requestLineComplete)
        let requestID = RequestID.generate()
        logger.info(
            "request refused by the HTTP parser",
            metadata: ["request_id": "\(requestID)", "http.status": "\(refusal.error.status.code)", "error.kind": "\(parserError)"])
        for part in refusal.responseParts(requestID: requestID) {
            context.write(wrapOutboundOut(part), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }
}
