public import NIOCore
import Synchronization

/// The server's open client connections, so shutdown can reach the idle ones: when draining
/// begins, each is told so (``DrainStartedEvent``) — an idle keep-alive connection closes at
/// once, while the listener still accepts the client's reconnect; a busy one closes after its
/// response, which carries `Connection: close`; one not yet used serves its first request.
public final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init() {}

    /// How many connections are open.
    public var count: Int { channels.withLock { $0.count } }

    func add(_ channel: any Channel) {
        channels.withLock { $0[ObjectIdentifier(channel)] = channel }
    }

    func remove(_ channel: any Channel) {
        _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Tell every open connection that draining began.
    func quiesceAll() {
        for channel in channels.withLock({ Array($0.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(DrainStartedEvent())
        }
    }
}
