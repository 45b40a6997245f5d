import Synchronization

/// One Redis connection of its own, on its own thread, for commands that block the
/// connection (`XREADGROUP … BLOCK`): they would stall the shared pool's pipelines.
/// Connects on first use and again after a failure; cancelling a waiting task shuts the
/// socket down so the call returns at once.
final class RedisDedicatedConnection: Sendable {
    private let configuration: RedisConfiguration
    private let thread = BlockingCallPool(threadCount: 1)
    private let connection = Mutex<RedisConnection?>(nil)

    init(configuration: RedisConfiguration) {
        self.configuration = configuration
    }

    /// Run one command that may block Redis-side for up to `blocking`; an error reply throws.
    func send(_ arguments: [any RedisArgument], blocking: Duration = .zero) async throws -> RedisValue {
        let configuration = self.configuration
        let current = connection.withLock { $0 }
        let reply: RedisValue
        do {
            let (open, answer) = try await withTaskCancellationHandler {
                try await thread.run {
                    let open = try current ?? RedisConnection.connect(configuration)
                    open.setTimeout(blocking + configuration.timeout)
                    return (open, try open.send(arguments))
                }
            } onCancel: {
                current?.shutdownSocket()
            }
            connection.withLock { $0 = open }
            reply = answer
        } catch {
            connection.withLock { $0 = nil }
            throw error
        }
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Close the connection and its thread.
    func close() async {
        connection.withLock { $0?.shutdownSocket(); $0 = nil }
        await thread.shutdown()
    }
}
