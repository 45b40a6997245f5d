public import NIOCore
import Synchronization

/// The server's open client connections, so shutdown can reach the idle ones: when draining
/// begins, each is told so (``DrainStartedEvent``) — an idle keep-alive connection closes at
/// once, while the listener still accepts the client's reconnect; a busy one closes after its
/// response, which carries `Connection: close`; one not yet used serves its first request.
public final class OpenConnections: Sendable {
    private let channels = Mutex<(open: [ObjectIdentifier: any Channel], used: Int)>(([:], 0))

    public init() {}

    /// How many connections are open.
    public var count: Int { channels.withLock { $0.open.count } }

    /// How many connections have carried at least one request since the server started.
    public var usedCount: Int { channels.withLock { $0.used } }

    func add(_ channel: any Channel) {
        channels.withLock { $0.open[ObjectIdentifier(channel)] = channel }
    }

    /// A connection's first request has arrived.
    func noteFirstRequest() {
        channels.withLock { $0.used += 1 }
    }

    func remove(_ channel: any Channel) {
        _ = channels.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Tell every open connection that draining began.
    func quiesceAll() {
        for channel in channels.withLock({ Array($0.open.values) }) {
            channel.pipeline.fireUserInboundEventTriggered(DrainStartedEvent())
        }
    }
}
