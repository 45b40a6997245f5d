/// A pub/sub subscription on a dedicated connection (a subscribed connection cannot run
/// other commands, so it never comes from the pool). Messages arrive on ``messages``
/// until ``close()`` or the connection drops.
public final class RedisSubscription: Sendable {
    /// One published message.
    public struct Message: Sendable, Equatable {
        public let channel: String
        public let payload: [UInt8]

        /// The payload as UTF-8 text.
        public var text: String { String(decoding: payload, as: UTF8.self) }
    }

    /// The messages, in order; finishes when the subscription ends.
    public let messages: AsyncStream<Message>
    private let connection: RedisConnection
    private let thread: BlockingCallPool

    private init(messages: AsyncStream<Message>, connection: RedisConnection, thread: BlockingCallPool) {
        self.messages = messages
        self.connection = connection
        self.thread = thread
    }

    /// Connect and subscribe to `channels`; returns once Redis has confirmed every one.
    public static func subscribe(_ configuration: RedisConfiguration, channels: [String]) async throws -> RedisSubscription {
        let thread = BlockingCallPool(threadCount: 1)
        let connection: RedisConnection
        do {
            connection = try await thread.run {
                let connection = try RedisConnection.connect(configuration)
                let confirmations = try connection.pipeline([["SUBSCRIBE"] + channels])
                if case .error(let message) = confirmations[0] { throw RedisError(.server, message) }
                // One confirmation per channel: the first came back with the pipeline.
                for _ in 1..<max(channels.count, 1) { _ = try connection.readPushed() }
                connection.waitWithoutTimeout()
                return connection
            }
        } catch {
            await thread.shutdown()
            throw error
        }
        let (messages, continuation) = AsyncStream.makeStream(of: Message.self)
        let subscription = RedisSubscription(messages: messages, connection: connection, thread: thread)
        Task {
            while true {
                guard let reply = try? await thread.run({ try connection.readPushed() }) else { break }
                if let parts = reply.array, parts.count == 3, parts[0].string == "message",
                    let channel = parts[1].string, case .bulk(let payload) = parts[2]
                {
                    continuation.yield(Message(channel: channel, payload: payload))
                }
            }
            continuation.finish()
        }
        return subscription
    }

    /// End the subscription: the connection closes and ``messages`` finishes.
    public func close() async {
        connection.shutdownSocket()
        await thread.shutdown()
    }
}

extension RedisClient {
    /// Publish `message` on `channel`; returns how many subscribers received it.
    @discardableResult
    public func publish(_ message: some RedisArgument, to channel: String) async throws -> Int {
        try await send("PUBLISH", channel, message).int ?? 0
    }
}
