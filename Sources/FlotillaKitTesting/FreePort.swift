import Foundation
import Synchronization

/// Free TCP ports on the loopback interface.
public enum FreePort {
    /// A port nothing listens on right now, below the kernel's ephemeral range (see
    /// ``block(of:)``): a port from `bind(0)` is an ephemeral one, which any outgoing
    /// connection may take before the server binds it — a test's private PostgreSQL lost its
    /// port that way once. A port is handed out once per test process: two services started
    /// at the same moment once drew the same free port, and the one that lost the bind left
    /// its test talking to the other.
    public static func allocate() throws -> Int {
        try block(of: 1)
    }

    /// Ports this process has handed out (never handed out again).
    private static let handedOut = Mutex<Set<Int>>([])
}

extension FreePort {
    /// Whether nothing holds 127.0.0.1:`port` (a bind succeeds).
    public static func isFree(_ port: Int) -> Bool {
        guard let holder = PortHolder(port: port, listening: false) else { return false }
        _ = holder
        return true
    }

    /// The first of `count` consecutive free ports, searched from 20000 up to the kernel's
    /// ephemeral range (`net.ipv4.ip_local_port_range`, 32768 by default): a port in that
    /// range can be taken at any moment by some process's outgoing connection, between the
    /// check and the bind (a benchmark fleet once lost a service to exactly that).
    public static func block(of count: Int) throws -> Int {
        let ceiling = max(ephemeralRangeStart, 20_000 + 10 * count)
        for _ in 0..<200 {
            let base = Int.random(in: 20_000...(ceiling - count))
            let ports = Set(base..<(base + count))
            let claimed = handedOut.withLock { taken in
                guard taken.isDisjoint(with: ports) else { return false }
                taken.formUnion(ports)
                return true
            }
            if claimed, ports.allSatisfy(isFree) { return base }
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// The first port the kernel hands out for outgoing connections.
    static var ephemeralRangeStart: Int {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: \.isWhitespace).first.flatMap { Int($0) } ?? 32_768
    }
}

/// A loopback port held open (bound, and listening unless told not to) until this is
/// released: to test what a program does when its port is taken.
public final class PortHolder: Sendable {
    public let port: Int
    private let descriptor: Int32

    /// `nil` when the port cannot be bound.
    public init?(port: Int, listening: Bool = true) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, !listening || listen(descriptor, 8) == 0 else {
            close(descriptor)
            return nil
        }
        self.port = port
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
