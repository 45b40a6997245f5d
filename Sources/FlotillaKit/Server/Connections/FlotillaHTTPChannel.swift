public import HummingbirdCore
public import Logging
public import NIOCore
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with the kit's two connection handlers added:
/// ``RequestLineTracker`` before the decoder and ``HTTPConnectionGuard`` after the codec
/// (error-envelope answers to parser refusals; `Connection: close` while draining).
struct FlotillaHTTPChannel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let base: HTTP1Channel
    let lifecycle: LifecycleState

    /// The server builder every service's application uses.
    static func builder(lifecycle: LifecycleState) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            FlotillaHTTPChannel(base: HTTP1Channel(responder: responder), lifecycle: lifecycle)
        }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let state = ConnectionReadState()
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(RequestLineTracker(state: state), position: .first)
            let codec = try pipeline.handler(type: HTTP1ToHTTPServerCodec.self)
            try pipeline.addHandler(HTTPConnectionGuard(state: state, lifecycle: lifecycle, logger: logger), position: .after(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
