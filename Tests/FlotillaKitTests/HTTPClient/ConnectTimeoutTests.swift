import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

@Suite("libcurl HTTP client connect deadline")
struct ConnectTimeoutTests {
    /// A loopback listener whose accept queue is full: the kernel drops further SYNs, so a
    /// new connection hangs in connect() as it would towards a black-holed address.
    final class FullListener {
        let port: Int
        private var sockets: [Int32] = []

        init() throws {
            let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
            }
            listen(listener, 0)
            port = Int(UInt16(bigEndian: address.sin_port))
            sockets.append(listener)
            // Fill the queue (backlog 0 admits one) with connections nobody accepts.
            for _ in 0..<3 {
                let client = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                _ = fcntl(client, F_SETFL, O_NONBLOCK)
                _ = withUnsafeMutablePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(client, $0, length) }
                }
                sockets.append(client)
            }
        }

        deinit {
            sockets.forEach { close($0) }
        }
    }

    @Test func deadlineWhileConnecting() async throws {
        let listener = try FullListener()
        let client = FlotillaHTTPClient(configuration: .init(userAgent: "connect-test"))
        let started = ContinuousClock.now
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(.init(url: "http://127.0.0.1:\(listener.port)/"), timeout: .milliseconds(500))
        }
        #expect(error?.kind == .timeout)
        #expect(error?.message.contains("Connection timed out") == true, "\(String(describing: error))")
        // Without the deadline the kernel retries the SYN for minutes (127 s by default); a
        // minute leaves a loaded machine room and still tells the two apart.
        #expect(ContinuousClock.now - started < .seconds(60))
        await client.shutdown()
    }
}
