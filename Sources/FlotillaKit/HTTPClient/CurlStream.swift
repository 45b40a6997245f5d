import CCurl
import NIOCore
import Synchronization

/// A transfer whose request and response bodies stream, each through a bounded buffer: curl
/// pulls request bytes as a producer task pushes them (pausing itself when the buffer runs dry,
/// the producer waiting while it is full), and pushes response bytes as a consumer takes them
/// (pausing itself when the consumer falls behind). Memory per transfer stays near
/// ``highWater`` both ways, whatever the body's size. Callbacks run on the multi loop's thread.
final class CurlStream: CurlJob, @unchecked Sendable {
    /// Bytes buffered in each direction before the faster side waits.
    static let highWater = 256 * 1024

    let handle: UnsafeMutableRawPointer
    private let loop: CurlMultiLoop
    private let headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
    private let state = Mutex(State())

    private struct State: ~Copyable {
        var outgoing = ByteBuffer()
        var outgoingDone = false
        var sendPaused = false
        var spaceWaiter: CheckedContinuation<Void, any Error>?
        var headers: [(String, String)] = []
        var headWaiter: CheckedContinuation<(Int, [(String, String)]), any Error>?
        var head: Result<(Int, [(String, String)]), any Error>?
        var incoming: [ByteBuffer] = []
        var incomingBytes = 0
        var receivePaused = false
        var chunkWaiter: CheckedContinuation<ByteBuffer?, any Error>?
        var finished: Result<Void, any Error>?
    }

    /// `request` (its `body` ignored: bytes come through ``send(_:)``) with an upload when
    /// `uploads`, of `length` bytes when known (else chunked); no transfer stays idle for
    /// `idleTimeout`.
    init(request: HTTPClientRequest, uploads: Bool, length: Int64?, connectTimeout: Duration, idleTimeout: Duration, loop: CurlMultiLoop) throws {
        guard let handle = curl_easy_init() else { throw HTTPClientError(.transport, "curl_easy_init failed") }
        self.handle = handle
        self.loop = loop
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        headerList = CurlTransfer.configure(handle, request, errorBuffer: errorBuffer)
        flotilla_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, max(1, connectTimeout.wholeMilliseconds))
        // No deadline for the whole transfer (a large file takes what it takes), but less than
        // one byte a second for `idleTimeout` ends it.
        flotilla_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        flotilla_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, Int(idleTimeout.wholeMilliseconds / 1000)))
        let context = Unmanaged.passUnretained(self).toOpaque()
        flotilla_setopt_pointer(handle, CURLOPT_PRIVATE, context)
        if uploads {
            flotilla_setopt_long(handle, CURLOPT_UPLOAD, 1)
            if let length { flotilla_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(length)) }
            flotilla_setopt_pointer(handle, CURLOPT_READDATA, context)
            flotilla_setopt_callback(handle, CURLOPT_READFUNCTION, curlStreamRead)
        }
        flotilla_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
        flotilla_setopt_callback(handle, CURLOPT_WRITEFUNCTION, curlStreamWrite)
        flotilla_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
        flotilla_setopt_callback(handle, CURLOPT_HEADERFUNCTION, curlStreamHeader)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    // MARK: The producer side (request body)

    /// Queue `chunk` for the upstream, waiting while the buffer is full; throws once the
    /// transfer has ended.
    func send(_ chunk: ByteBuffer) async throws {
        while true {
            enum Step { case sent(unpause: Bool), wait, ended(any Error) }
            let step: Step = state.withLock { state in
                if case .failure(let error)? = state.finished { return .ended(error) }
                if state.finished != nil { return .ended(HTTPClientError(.transport, "the upstream answered before the body was sent")) }
                guard state.outgoing.readableBytes < Self.highWater else { return .wait }
                var chunk = chunk
                state.outgoing.writeBuffer(&chunk)
                defer { state.sendPaused = false }
                return .sent(unpause: state.sendPaused)
            }
            switch step {
            case .sent(let unpause):
                if unpause { loop.unpause(self) }
                return
            case .ended(let error):
                throw error
            case .wait:
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let ready = state.withLock { state in
                        guard state.outgoing.readableBytes >= Self.highWater, state.finished == nil else { return true }
                        state.spaceWaiter = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
        }
    }

    /// The request body is complete.
    func finishSending() {
        let unpause = state.withLock { state in
            state.outgoingDone = true
            defer { state.sendPaused = false }
            return state.sendPaused
        }
        if unpause { loop.unpause(self) }
    }

    /// curl wants up to `buffer.count` request bytes.
    fileprivate func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let (count, waiter): (Int, CheckedContinuation<Void, any Error>?) = state.withLock { state in
            let available = state.outgoing.readableBytes
            guard available > 0 else {
                if state.outgoingDone { return (0, nil) }
                state.sendPaused = true
                return (Int(CURL_READFUNC_PAUSE), nil)
            }
            let count = min(buffer.count, available)
            state.outgoing.withUnsafeReadableBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
            state.outgoing.moveReaderIndex(forwardBy: count)
            if state.outgoing.readableBytes == 0 { state.outgoing.clear() }
            var waiter: CheckedContinuation<Void, any Error>?
            if state.outgoing.readableBytes < Self.highWater { swap(&waiter, &state.spaceWaiter) }
            return (count, waiter)
        }
        waiter?.resume()
        return count
    }

    // MARK: The consumer side (response)

    /// The response's status and headers, once they have arrived.
    func head() async throws -> (status: Int, headers: [(String, String)]) {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Int, [(String, String)]), any Error>) in
            let known = state.withLock { state in
                if state.head == nil { state.headWaiter = continuation }
                return state.head
            }
            if let known { continuation.resume(with: known) }
        }
    }

    /// The next piece of the response body; nil at its end.
    func nextChunk() async throws -> ByteBuffer? {
        enum Step { case chunk(ByteBuffer, unpause: Bool), end(Result<Void, any Error>), wait }
        let step: Step = state.withLock { state in
            if !state.incoming.isEmpty {
                let chunk = state.incoming.removeFirst()
                state.incomingBytes -= chunk.readableBytes
                let unpause = state.receivePaused && state.incomingBytes < Self.highWater / 2
                if unpause { state.receivePaused = false }
                return .chunk(chunk, unpause: unpause)
            }
            if let finished = state.finished { return .end(finished) }
            return .wait
        }
        switch step {
        case .chunk(let chunk, let unpause):
            if unpause { loop.unpause(self) }
            return chunk
        case .end(let result):
            try result.get()
            return nil
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                let ready: Result<ByteBuffer?, any Error>? = state.withLock { state in
                    if !state.incoming.isEmpty {
                        let chunk = state.incoming.removeFirst()
                        state.incomingBytes -= chunk.readableBytes
                        return .success(chunk)
                    }
                    if let finished = state.finished { return finished.map { nil } }
                    state.chunkWaiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// Stop the transfer (the consumer went away, or the producer failed).
    func cancel(_ error: any Error) {
        loop.cancel(self, error)
    }

    fileprivate func receiveHeader(_ line: UnsafeRawBufferPointer) {
        state.withLock { CurlTransfer.parseHeader(line, into: &$0.headers) }
    }

    /// curl has `bytes` of the response body. Pieces (curl hands over 16 KiB at a time) are
    /// gathered into buffers of ``chunkCapacity``: fewer, larger allocations, which the
    /// allocator maps and returns whole instead of fragmenting its heap.
    fileprivate func write(_ bytes: UnsafeRawBufferPointer) -> Int {
        deliverHead(.success(()))
        let (accepted, waiter, handoff): (Int, CheckedContinuation<ByteBuffer?, any Error>?, ByteBuffer?) = state.withLock { state in
            if state.incomingBytes >= Self.highWater {
                state.receivePaused = true
                return (Int(CURL_WRITEFUNC_PAUSE), nil, nil)
            }
            if let waiter = state.chunkWaiter {
                state.chunkWaiter = nil
                var buffer = ByteBufferAllocator().buffer(capacity: max(Self.chunkCapacity, bytes.count))
                buffer.writeBytes(bytes)
                return (bytes.count, waiter, buffer)
            }
            if state.incoming.isEmpty || state.incoming[state.incoming.count - 1].writableBytes < bytes.count {
                var buffer = ByteBufferAllocator().buffer(capacity: max(Self.chunkCapacity, bytes.count))
                buffer.writeBytes(bytes)
                state.incoming.append(buffer)
            } else {
                state.incoming[state.incoming.count - 1].writeBytes(bytes)
            }
            state.incomingBytes += bytes.count
            return (bytes.count, nil, nil)
        }
        waiter?.resume(returning: handoff)
        return accepted
    }

    /// The size of the buffers response bytes are gathered into.
    static let chunkCapacity = 64 * 1024

    /// Hand the status and headers to whoever waits for them (once).
    private func deliverHead(_ outcome: Result<Void, any Error>) {
        var status = 0
        flotilla_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        let waiter: (CheckedContinuation<(Int, [(String, String)]), any Error>, Result<(Int, [(String, String)]), any Error>)? = state.withLock { state in
            guard state.head == nil else { return nil }
            let head = outcome.map { (status, state.headers) }
            state.head = head
            guard let waiter = state.headWaiter else { return nil }
            state.headWaiter = nil
            return (waiter, head)
        }
        if let (continuation, head) = waiter { continuation.resume(with: head) }
    }

    // MARK: CurlJob

    func complete(_ code: CURLcode) {
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            return end(.failure(CurlTransfer.error(for: code, detail: detail.isEmpty ? nil : detail)))
        }
        end(.success(()))
    }

    func abort(_ error: any Error) {
        end(.failure(error))
    }

    private func end(_ result: Result<Void, any Error>) {
        deliverHead(result)
        let (space, chunk) = state.withLock { state in
            state.finished = result
            defer { state.spaceWaiter = nil; state.chunkWaiter = nil }
            return (state.spaceWaiter, state.incoming.isEmpty ? state.chunkWaiter : nil)
        }
        switch result {
        case .success:
            space?.resume()
            chunk?.resume(returning: nil)
        case .failure(let error):
            space?.resume(throwing: error)
            chunk?.resume(throwing: error)
        }
    }
}

private func stream(_ context: UnsafeMutableRawPointer?) -> CurlStream? {
    context.map { Unmanaged<CurlStream>.fromOpaque($0).takeUnretainedValue() }
}

private func curlStreamRead(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let stream = stream(context) else { return Int(CURL_READFUNC_ABORT) }
    return stream.read(into: UnsafeMutableRawBufferPointer(start: data, count: size * count))
}

private func curlStreamWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let stream = stream(context) else { return 0 }
    return stream.write(UnsafeRawBufferPointer(start: data, count: size * count))
}

private func curlStreamHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let data, let stream = stream(context) else { return 0 }
    stream.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
