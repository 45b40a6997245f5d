import CCurl

/// The curl thread's readiness set: an epoll instance holding the sockets curl asks to
/// watch (through its socket callback) and an eventfd that wakes the thread when
/// transfers are added or cancelled. Used only by ``CurlMultiLoop``'s thread, except
/// ``wake()``, which any thread may call.
final class CurlSocketPoller: @unchecked Sendable {
    /// A socket curl should be told about, with `CURL_CSELECT_*` flags.
    struct Readiness {
        let socket: Int32
        let flags: Int32
    }

    private let epoll: Int32
    private let wakeup: Int32
    private var watched = Set<Int32>()
    private var ready = [flotilla_ready_fd](repeating: flotilla_ready_fd(), count: 256)

    /// Stops the process when the kernel refuses an epoll or eventfd descriptor (the
    /// descriptor limit is exhausted at start): no HTTP client could work.
    init() {
        epoll = flotilla_epoll_create()
        wakeup = flotilla_eventfd()
        precondition(epoll >= 0 && wakeup >= 0, "cannot create the HTTP client's epoll or eventfd descriptor")
        _ = flotilla_epoll_update(epoll, EPOLL_CTL_ADD, wakeup, EPOLLIN.rawValue)
    }

    deinit {
        close(epoll)
        close(wakeup)
    }

    /// Interrupt ``wait(milliseconds:)``; safe from any thread.
    func wake() {
        flotilla_eventfd_signal(wakeup)
    }

    /// Follow curl's socket callback: watch `socket` for `what` (`CURL_POLL_IN`, `_OUT`,
    /// `_INOUT`) or stop watching it (`CURL_POLL_REMOVE`).
    func watch(_ socket: Int32, what: Int32) {
        guard what != CURL_POLL_REMOVE else {
            if watched.remove(socket) != nil { _ = flotilla_epoll_update(epoll, EPOLL_CTL_DEL, socket, 0) }
            return
        }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
        let operation = watched.insert(socket).inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        _ = flotilla_epoll_update(epoll, operation, socket, events)
    }

    /// Wait up to `milliseconds` for sockets or a wake-up; the sockets that are ready.
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
            var flags: Int32 = 0
            if entry.events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 { flags |= CURL_CSELECT_IN }
            if entry.events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
            if entry.events & EPOLLERR.rawValue != 0 { flags |= CURL_CSELECT_ERR }
            sockets.append(Readiness(socket: entry.fd, flags: flags))
        }
        return sockets
    }
}
