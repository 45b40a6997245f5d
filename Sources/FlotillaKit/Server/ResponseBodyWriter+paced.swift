public import Hummingbird
public import NIOCore

extension ResponseBodyWriter {
    /// Write every chunk of `source`, letting the connection's `eventLoop` catch up every
    /// `pace` bytes. A write only waits while the connection is not writable, and the loop
    /// learns that only when it has processed the writes before it: a producer faster than a
    /// busy loop would otherwise queue without bound. With the pause, what is queued stays
    /// near `pace` (plus the channel's own write buffer) whatever the body's size.
    public mutating func write<Source: AsyncSequence>(paced source: Source, on eventLoop: any EventLoop, every pace: Int = 256 * 1024) async throws
    where Source.Element == ByteBuffer {
        var sincePause = 0
        for try await chunk in source {
            sincePause += chunk.readableBytes
            try await write(chunk)
            if sincePause >= pace {
                sincePause = 0
                try await eventLoop.submit {}.get()
            }
        }
    }
}
