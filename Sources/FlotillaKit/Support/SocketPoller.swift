import CPoll

/// An epoll readiness set and an eventfd that interrupts its wait: the core of the kit's own
/// I/O threads (curl's transfers, libpq's connections), which never run on NIO's event loops.
/// ``wait(milliseconds:)`` belongs to the one thread that owns the poller; the rest is safe
/// from any thread.
final class SocketPoller: @unchecked Sendable {
    /// What a socket is watched for, or found ready for.
    struct Events: OptionSet, Sendable {
        let rawValue: UInt8
        static let readable = Events(rawValue: 1)
        static let writable = Events(rawValue: 2)
        /// An error on the socket (reported whether or not it was asked for).
        static let error = Events(rawValue: 4)
    }

    /// A socket found ready. A peer that hung up counts as readable: reading says so.
    struct Readiness {
        let socket: Int32
        let events: Events
    }

    private let epoll: Int32
    private let wakeup: Int32
    private var ready = [flotilla_ready_fd](repeating: flotilla_ready_fd(), count: 256)

    /// Stops the process when the kernel refuses an epoll or eventfd descriptor (the
    /// descriptor limit is exhausted at start): `purpose` names what could not work.
    init(purpose: String) {
        epoll = flotilla_epoll_create()
        wakeup = flotilla_eventfd()
        precondition(epoll >= 0 && wakeup >= 0, "cannot create the epoll or eventfd descriptor of \(purpose)")
        _ = flotilla_epoll_update(epoll, EPOLL_CTL_ADD, wakeup, EPOLLIN.rawValue)
    }

    deinit {
        close(epoll)
        close(wakeup)
    }

    /// Interrupt ``wait(milliseconds:)``.
    func wake() {
        flotilla_eventfd_signal(wakeup)
    }

    /// Watch `socket` for `events` until told otherwise (level-triggered). False if the
    /// kernel refused (the socket is closed, say).
    @discardableResult
    func watch(_ socket: Int32, for events: Events) -> Bool {
        flotilla_epoll_set(epoll, socket, Self.epollEvents(events)) == 0
    }

    /// Watch `socket` for `events` once: after it is reported ready it is not reported again
    /// until armed again. False if the kernel refused (the socket is closed, say).
    func arm(_ socket: Int32, for events: Events) -> Bool {
        flotilla_epoll_set(epoll, socket, Self.epollEvents(events) | EPOLLONESHOT.rawValue) == 0
    }

    /// Stop watching `socket` (nothing happens if it was not watched).
    func remove(_ socket: Int32) {
        _ = flotilla_epoll_update(epoll, EPOLL_CTL_DEL, socket, 0)
    }

    /// Wait up to `milliseconds` (-1: until something happens) for sockets or a wake-up;
    /// the sockets that are ready.
    func wait(milliseconds: Int) -> [Readiness] {
        let count = ready.withUnsafeMutableBufferPointer { buffer in
            flotilla_epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), Int32(clamping: milliseconds))
        }
        guard count > 0 else { return [] }
        var sockets = [Readiness]()
        sockets.reserveCapacity(Int(count))
        for entry in ready[..<Int(count)] {
            guard entry.fd != wakeup else {
                flotilla_eventfd_drain(wakeup)
                continue
            }
            var events: Events = []
            if entry.events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 { events.insert(.readable) }
            if entry.events & EPOLLOUT.rawValue != 0 { events.insert(.writable) }
            if entry.events & EPOLLERR.rawValue != 0 { events.insert(.error) }
            sockets.append(Readiness(socket: entry.fd, events: events))
        }
        return sockets
    }

    private static func epollEvents(_ events: Events) -> UInt32 {
        var flags: UInt32 = 0
        if events.contains(.readable) { flags |= EPOLLIN.rawValue }
        if events.contains(.writable) { flags |= EPOLLOUT.rawValue }
        return flags
    }
}
