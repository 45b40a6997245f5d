import CCurl
import Synchronization

/// One curl multi handle driven by a dedicated thread (never an event loop): transfers are
/// added and removed through a command queue, `curl_multi_poll` waits for sockets or a
/// wake-up, and finished transfers resume their callers. Connections are kept alive and
/// reused across transfers by the multi handle's connection cache.
final class CurlMultiLoop: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
    }

    private let multi: UnsafeMutableRawPointer
    private let commands = Mutex<[Command]>([])
    private let stopping = Atomic<Bool>(false)
    private let thread = BlockingCallPool(threadCount: 1)
    /// Transfers added to the multi handle, by easy handle; loop thread only.
    private var running: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(maxConnections: Int) {
        curl_global_init(Int(CURL_GLOBAL_ALL))
        multi = curl_multi_init()!
        flotilla_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxConnections)
        flotilla_multi_setopt_long(multi, CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
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
            enqueue(.cancel(transfer))
        }
    }

    /// Stop the thread; transfers still running fail.
    func shutdown() async {
        stopping.store(true, ordering: .releasing)
        curl_multi_wakeup(multi)
        await thread.shutdown()
    }

    private func enqueue(_ command: Command) {
        commands.withLock { $0.append(command) }
        curl_multi_wakeup(multi)
    }

    private func runLoop() {
        var stillRunning: Int32 = 0
        while !stopping.load(ordering: .acquiring) {
            for command in commands.withLock({ pending in defer { pending = [] }; return pending }) {
                switch command {
                case .add(let transfer):
                    running[transfer.handle] = transfer
                    curl_multi_add_handle(multi, transfer.handle)
                case .cancel(let transfer):
                    guard running.removeValue(forKey: transfer.handle) != nil else { continue }
                    curl_multi_remove_handle(multi, transfer.handle)
                    finish(transfer, .failure(CancellationError()))
                }
            }
            curl_multi_perform(multi, &stillRunning)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                    let transfer = running.removeValue(forKey: handle)
                else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                finish(transfer, transfer.outcome(code))
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
        for transfer in running.values {
            curl_multi_remove_handle(multi, transfer.handle)
            finish(transfer, .failure(HTTPClientError(.transport, "client shut down")))
        }
        running = [:]
        curl_multi_cleanup(multi)
    }

    private func finish(_ transfer: CurlTransfer, _ result: Result<HTTPClientResponse, any Error>) {
        transfer.continuation?.resume(with: result)
        transfer.continuation = nil
    }
}
