import Foundation

/// A plain TCP connection for sending what no HTTP client will: oversized or malformed
/// requests, unknown methods, raw bytes in the target. Blocking I/O runs on
/// ``BlockingWork``; every read waits at most `readTimeoutSeconds` (a hang bound, not a check).
public final class RawHTTPConnection: @unchecked Sendable {
    private let descriptor: Int32

    public init(port: Int, readTimeoutSeconds: Int = 60) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    /// Hang up now (both directions), as a client whose connection drops mid-request.
    public func hangUp() {
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    /// Send `bytes` as they are (a peer that has closed may refuse the rest: that is ignored).
    public func send(_ bytes: [UInt8]) async throws {
        let descriptor = self.descriptor
        try await BlockingWork.run {
            var offset = 0
            while offset < bytes.count {
                let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return }
                offset += sent
            }
        }
    }

    /// Everything the server sends until it closes the connection (or the read times out).
    public func readUntilClosed() async throws -> String {
        let descriptor = self.descriptor
        return try await BlockingWork.run {
            var received = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                received += chunk[..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    /// One response with a `Content-Length` body, leaving the connection open: its head and
    /// body as text (the read stops early if the server closes the connection).
    public func readResponse() async throws -> String {
        let descriptor = self.descriptor
        return try await BlockingWork.run {
            var received = [UInt8]()
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while !Self.holdsCompleteResponse(received) {
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { break }
                received += chunk[..<count]
            }
            return String(decoding: received, as: UTF8.self)
        }
    }

    private static func holdsCompleteResponse(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<headEnd.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return text[headEnd.upperBound...].utf8.count >= length
    }

    /// Whether the server has closed the connection: a read returns end-of-file (waits for
    /// data or the close, at most the read timeout).
    public func isClosedByPeer() async throws -> Bool {
        let descriptor = self.descriptor
        return try await BlockingWork.run {
            var byte: UInt8 = 0
            return recv(descriptor, &byte, 1, 0) == 0
        }
    }
}
