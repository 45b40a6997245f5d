@testable import FlotillaKit
import Testing

@Suite("Trusted proxies and client addresses")
struct TrustedProxiesTests {
    @Test func cidrBlocksMatchIPv4AndIPv6() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1"])
        #expect(proxies.isTrusted("10.200.3.4"))
        #expect(!proxies.isTrusted("11.0.0.1"))
        #expect(proxies.isTrusted("192.168.1.7"))
        #expect(!proxies.isTrusted("192.168.1.8"))
        #expect(proxies.isTrusted("fd12:3456::1"))
        #expect(!proxies.isTrusted("fe80::1"))
        #expect(proxies.isTrusted("::1"))
        #expect(proxies.isTrusted("::ffff:10.1.2.3"), "IPv4-mapped addresses count as IPv4")
        #expect(!proxies.isTrusted("not-an-ip"))
    }

    @Test func onlyATrustedPeerMayNameTheClient() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8"])
        #expect(proxies.clientAddress(peer: "203.0.113.9", forwardedFor: "1.2.3.4") == "203.0.113.9", "untrusted peer: header ignored")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: "1.2.3.4") == "1.2.3.4")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: "6.6.6.6, 1.2.3.4, 10.0.0.9") == "1.2.3.4", "right-most untrusted hop; a spoofed left part is ignored")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: "garbage") == "10.0.0.2")
        #expect(proxies.clientAddress(peer: "10.0.0.2", forwardedFor: nil) == "10.0.0.2")
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: "1.2.3.4") == "127.0.0.1")
    }

    @Test func badEntriesAreConfigurationErrors() {
        #expect(throws: InvalidCIDR.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: InvalidCIDR.self) { try TrustedProxies(["example.com"]) }
        var environment = EnvironmentReader(["TRUSTED_PROXIES": "10.0.0.0/8, nope"])
        _ = TrustedProxies(environment: &environment)
        #expect(throws: ConfigurationError.self) { try environment.validate() }
    }
}
