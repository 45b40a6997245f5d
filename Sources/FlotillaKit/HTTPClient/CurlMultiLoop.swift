import CCurl
import Synchronization

/// One curl multi handle driven by a dedicated thread (never an event loop) through
/// curl's socket interface: the thread waits on an epoll set holding the sockets curl asks
/// for, and tells curl only about the sockets that are ready (`curl_multi_socket_action`),
/// so the work per wake-up does not grow with the number of transfers in flight.
/// Transfers are added and cancelled through a command queue; finished ones resume their
/// callers. Connections are kept alive and reused across transfers by the multi handle's
/// connection cache.
final class CurlMultiLoop: @unchecked Sendable {
    private enum Command {
        case add(any CurlJob)
        case cancel(any CurlJob, any Error)
        case unpause(any CurlJob)
    }

    private let multi: UnsafeMutableRawPointer
    private let poller = SocketPoller(purpose: "the HTTP client")
    private let commands = Mutex<[Command]>([])
    private let stopping = Atomic<Bool>(false)
    private let thread = BlockingCallPool(threadCount: 1)
    /// Transfers added to the multi handle, by easy handle; loop thread only.
    private var running: [UnsafeMutableRawPointer: any CurlJob] = [:]

    init(maxConnections: Int) {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        multi = curl_multi_init()!
        flotilla_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        flotilla_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        flotilla_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, Unmanaged.passUnretained(poller).toOpaque())
        flotilla_multi_setopt_socket_callback(multi) { _, socket, what, poller, _ in
            Unmanaged<SocketPoller>.fromOpaque(poller!).takeUnretainedValue().follow(socket, what: what)
            return 0
        }
        let loop = Unmanaged.passUnretained(self)
        Task { [thread] in
            _ = try? await thread.run { loop.takeUnretainedValue().runLoop() }
        }
    }

    /// Run `transfer`; returns when it finishes, fails, or the calling task is cancelled.
    func perform(_ transfer: CurlTransfer) async throws -> HTTPClientResponse {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.continuation = continuation
                enqueue(.add(transfer))
            }
        } onCancel: {
            enqueue(.cancel(transfer, CancellationError()))
        }
    }

    /// Start `job`; it reports its own progress (a streaming transfer).
    func start(_ job: any CurlJob) {
        enqueue(.add(job))
    }

    /// Stop `job` with `error` (if it is still running).
    func cancel(_ job: any CurlJob, _ error: any Error) {
        enqueue(.cancel(job, error))
    }

    /// Let `job` go on after one of its callbacks paused it.
    func unpause(_ job: any CurlJob) {
        enqueue(.unpause(job))
    }

    /// Stop the thread; transfers still running fail.
    func shutdown() async {
        stopping.store(true, ordering: .releasing)
        poller.wake()
        await thread.shutdown()
    }

    private func enqueue(_ command: Command) {
        commands.withLock { $0.append(command) }
        poller.wake()
    }

    private func runLoop() {
        var stillRunning: Int32 = 0
        while !stopping.load(ordering: .acquiring) {
            runCommands()
            var timeout = -1
            curl_multi_timeout(multi, &timeout)
            let ready = poller.wait(milliseconds: timeout < 0 ? 1000 : min(timeout, 1000))
            for socket in ready {
                curl_multi_socket_action(multi, socket.socket, socket.curlFlags, &stillRunning)
            }
            if timeout == 0 || ready.isEmpty {
                curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &stillRunning)
            }
            finishCompleted()
        }
        for job in running.values {
            curl_multi_remove_handle(multi, job.handle)
            job.abort(HTTPClientError(.transport, "client shut down"))
        }
        running = [:]
        curl_multi_cleanup(multi)
    }

    private func runCommands() {
        for command in commands.withLock({ pending in defer { pending = [] }; return pending }) {
            switch command {
            case .add(let job):
                running[job.handle] = job
                curl_multi_add_handle(multi, job.handle)
            case .cancel(let job, let error):
                guard running.removeValue(forKey: job.handle) != nil else { continue }
                curl_multi_remove_handle(multi, job.handle)
                job.abort(error)
            case .unpause(let job):
                // Resuming may call the job's callbacks right here, on this thread.
                if running[job.handle] != nil { flotilla_unpause(job.handle) }
            }
        }
    }

    private func finishCompleted() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let job = running.removeValue(forKey: handle)
            else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, handle)
            job.complete(code)
        }
    }
}

/// A transfer the multi loop runs: its easy handle, and what to do when curl is done with it
/// or it is stopped. Both are called on the loop's thread.
protocol CurlJob: AnyObject, Sendable {
    var handle: UnsafeMutableRawPointer { get }
    /// curl finished the transfer with `code`.
    func complete(_ code: CURLcode)
    /// The transfer was stopped before curl finished it.
    func abort(_ error: any Error)
}

extension SocketPoller {
    /// Follow curl's socket callback: watch `socket` for `what` (`CURL_POLL_IN`, `_OUT`,
    /// `_INOUT`) or stop watching it (`CURL_POLL_REMOVE`).
    fileprivate func follow(_ socket: Int32, what: Int32) {
        guard what != CURL_POLL_REMOVE else { return remove(socket) }
        var events: Events = []
        if what & CURL_POLL_IN != 0 { events.insert(.readable) }
        if what & CURL_POLL_OUT != 0 { events.insert(.writable) }
        watch(socket, for: events)
    }
}

extension SocketPoller.Readiness {
    /// The `CURL_CSELECT_*` flags curl is told.
    fileprivate var curlFlags: Int32 {
        var flags: Int32 = 0
        if events.contains(.readable) { flags |= CURL_CSELECT_IN }
        if events.contains(.writable) { flags |= CURL_CSELECT_OUT }
        if events.contains(.error) { flags |= CURL_CSELECT_ERR }
        return flags
    }
}
