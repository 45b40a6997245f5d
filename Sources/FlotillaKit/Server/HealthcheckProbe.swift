// `struct timeval` is attributed to the first Clang module that includes <sys/time.h>,
// which in this target is CHiredis; importing it makes the type visible here.
import CHiredis
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `<service> healthcheck`: a one-shot HTTP GET used by container health checks, so images
/// need no curl. Plain blocking sockets: it runs alone in its own short-lived process.
public struct HealthcheckProbe: Sendable {
    /// Why a probe failed.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidURL(String)
        case unreachable(String)
        case badResponse(String)
        case unhealthy(status: Int)

        public var description: String {
            switch self {
            case .invalidURL(let url): "invalid URL \(url): expected http://HOST:PORT/PATH"
            case .unreachable(let reason): "cannot reach the service: \(reason)"
            case .badResponse(let line): "not an HTTP response: \(line)"
            case .unhealthy(let status): "unhealthy: HTTP \(status)"
            }
        }
    }

    public let host: String
    public let port: Int
    public let path: String
    public let timeoutSeconds: Int

    /// Parse `http://host:port/path`.
    public init(url: String, timeoutSeconds: Int = 3) throws(Failure) {
        guard url.hasPrefix("http://") else { throw .invalidURL(url) }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        let parts = authority.split(separator: ":")
        guard parts.count == 2, !parts[0].isEmpty, let port = Int(parts[1]), (1...65535).contains(port) else {
            throw .invalidURL(url)
        }
        self.host = String(parts[0])
        self.port = port
        self.path = path.isEmpty ? "/" : String(path)
        self.timeoutSeconds = timeoutSeconds
    }

    /// Perform the GET; returns the status code when it is 2xx, throws otherwise.
    @discardableResult
    public func run() throws(Failure) -> Int {
        let socket = try openConnection()
        defer { close(socket) }
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nUser-Agent: flotilla-healthcheck\r\nConnection: close\r\n\r\n"
        let sent = request.utf8CString.withUnsafeBufferPointer { send(socket, $0.baseAddress, $0.count - 1, 0) }
        guard sent == request.utf8.count else { throw .unreachable("send failed (errno \(errno))") }
        var buffer = [UInt8](repeating: 0, count: 512)
        let received = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard received > 0 else { throw .unreachable("no response within \(timeoutSeconds)s") }
        let statusLine = String(decoding: buffer[0..<received].prefix { $0 != UInt8(ascii: "\r") }, as: UTF8.self)
        let fields = statusLine.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("HTTP/1."), let status = Int(fields[1]) else {
            throw .badResponse(statusLine)
        }
        guard (200..<300).contains(status) else { throw .unhealthy(status: status) }
        return status
    }

    private func openConnection() throws(Failure) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &results) == 0, let first = results else {
            throw .unreachable("cannot resolve \(host)")
        }
        defer { freeaddrinfo(results) }
        var timeout = timeval()
        timeout.tv_sec = timeoutSeconds
        var address: UnsafeMutablePointer<addrinfo>? = first
        while let candidate = address {
            let fd = socket(candidate.pointee.ai_family, candidate.pointee.ai_socktype, candidate.pointee.ai_protocol)
            if fd >= 0 {
                // On Linux SO_SNDTIMEO also bounds connect().
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                if connect(fd, candidate.pointee.ai_addr, candidate.pointee.ai_addrlen) == 0 {
                    return fd
                }
                close(fd)
            }
            address = candidate.pointee.ai_next
        }
        throw .unreachable("connection to \(host):\(port) refused or timed out")
    }
}
