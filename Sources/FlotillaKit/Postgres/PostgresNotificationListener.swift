import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A dedicated connection that `LISTEN`s on one channel, so a waiter wakes when another
/// session's transaction that called `NOTIFY` commits. Waits run on the listener's own thread
/// (libpq is blocking) and end at a notification, the timeout, or the waiting task's
/// cancellation (a self-pipe interrupts the `poll`).
final class PostgresNotificationListener: Sendable {
    private let connection: PostgresConnection
    private let thread: BlockingCallPool
    private let wakePipe: (read: Int32, write: Int32)

    private init(connection: PostgresConnection, thread: BlockingCallPool, wakePipe: (read: Int32, write: Int32)) {
        self.connection = connection
        self.thread = thread
        self.wakePipe = wakePipe
    }

    /// Connect and `LISTEN` on `channel`.
    static func listen(_ configuration: PostgresConfiguration, channel: String) async throws -> PostgresNotificationListener {
        let thread = BlockingCallPool(threadCount: 1)
        do {
            let connection = try await thread.run {
                let connection = try PostgresConnection.connect(configuration)
                try connection.executeScript("LISTEN \"\(channel.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\""))\"")
                return connection
            }
            var descriptors: [Int32] = [0, 0]
            guard pipe(&descriptors) == 0 else { throw PostgresError(.connectionFailed, message: "cannot create a wake-up pipe") }
            _ = fcntl(descriptors[0], F_SETFL, fcntl(descriptors[0], F_GETFL) | O_NONBLOCK)
            return PostgresNotificationListener(connection: connection, thread: thread, wakePipe: (descriptors[0], descriptors[1]))
        } catch {
            await thread.shutdown()
            throw error
        }
    }

    /// Wait at most `timeout` for a notification; true if one (or more) arrived. Cancelling
    /// the task ends the wait at once (returning false).
    func wait(timeout: Duration) async throws -> Bool {
        let connection = self.connection
        let wake = wakePipe
        return try await withTaskCancellationHandler {
            try await thread.run { try connection.waitForNotifications(timeout: timeout, wakeDescriptor: wake.read) }
        } onCancel: {
            var byte: UInt8 = 1
            _ = write(wake.write, &byte, 1)
        }
    }

    /// Close the connection and the thread.
    func close() async {
        await thread.shutdown()
        closeDescriptor(wakePipe.read)
        closeDescriptor(wakePipe.write)
    }
}

private func closeDescriptor(_ descriptor: Int32) {
    _ = close(descriptor)
}

extension PostgresConnection {
    /// Block until a notification arrives, `wakeDescriptor` is readable, or `timeout` passes;
    /// whether a notification arrived. Throws when the connection is lost.
    func waitForNotifications(timeout: Duration, wakeDescriptor: Int32) throws(PostgresError) -> Bool {
        if try consumeNotifications() { return true }
        var descriptors = [pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0), pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&descriptors, 2, Int32(clamping: timeout.wholeMilliseconds))
        if ready > 0, descriptors[1].revents != 0 {
            var sink = [UInt8](repeating: 0, count: 16)
            while read(wakeDescriptor, &sink, sink.count) > 0 {}
        }
        guard ready > 0, descriptors[0].revents != 0 else { return false }
        return try consumeNotifications()
    }

    /// Read what the server sent; whether it held notifications (each is freed).
    private func consumeNotifications() throws(PostgresError) -> Bool {
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(.connectionLost, message: String(cString: PQerrorMessage(handle)).trimmingWhitespace().description)
        }
        var notified = false
        while let notification = PQnotifies(handle) {
            notified = true
            PQfreemem(notification)
        }
        return notified
    }
}
