#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Which peers may tell us the client's address in `X-Forwarded-For`: the ingress, the
/// gateway. Everyone else's `X-Forwarded-For` is ignored, so a client cannot pick the
/// address its rate limit or lockout is counted against.
public struct TrustedProxies: Sendable {
    let blocks: [CIDRBlock]

    init(blocks: [CIDRBlock]) {
        self.blocks = blocks
    }

    /// Trust no one: the client is always the peer.
    public static let none = TrustedProxies(blocks: [])

    /// Trust the CIDR blocks in `list` (`10.0.0.0/8`, `::1/128`, or single addresses).
    /// Throws naming the first entry that does not parse.
    public init(_ list: [String]) throws(InvalidCIDR) {
        var blocks = [CIDRBlock]()
        for entry in list where !entry.isEmpty {
            guard let block = CIDRBlock(entry) else { throw InvalidCIDR(entry: entry) }
            blocks.append(block)
        }
        self.init(blocks: blocks)
    }

    /// `TRUSTED_PROXIES`: comma-separated CIDR blocks; empty (trust nobody) by default.
    public init(environment: inout EnvironmentReader) {
        let list = (environment.raw("TRUSTED_PROXIES") ?? "").split(separator: ",").map { String($0.trimmingWhitespace()) }
        do {
            try self.init(list)
        } catch {
            environment.record("TRUSTED_PROXIES", environment.raw("TRUSTED_PROXIES"), "comma-separated CIDR blocks such as 10.0.0.0/8 (bad entry: \(error.entry))")
            self = .none
        }
    }

    public func isTrusted(_ address: String) -> Bool {
        blocks.contains { $0.contains(address) }
    }

    /// The client's address: the peer itself, unless the peer is trusted, in which case the
    /// right-most address in `X-Forwarded-For` that is not itself a trusted proxy.
    public func clientAddress(peer: String, forwardedFor: String?) -> String {
        guard isTrusted(peer), let forwardedFor else { return peer }
        let hops = forwardedFor.split(separator: ",").map { String($0.trimmingWhitespace()) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !isTrusted(hop) {
            return CIDRBlock.parseAddress(hop) != nil ? hop : peer
        }
        return hops.first ?? peer
    }
}

/// A `TRUSTED_PROXIES` entry that is not a CIDR block.
public struct InvalidCIDR: Error, Sendable {
    public let entry: String
}

/// An IPv4 or IPv6 network.
struct CIDRBlock: Sendable {
    let network: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let address = Self.parseAddress(String(parts[0])) else { return nil }
        let length = parts.count == 2 ? Int(parts[1]) : address.count * 8
        guard let length, (0...(address.count * 8)).contains(length) else { return nil }
        network = address
        prefixLength = length
    }

    func contains(_ text: String) -> Bool {
        guard let address = Self.parseAddress(text), address.count == network.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address, network) where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if a & mask != b & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The bytes of an IPv4 (4) or IPv6 (16) address; IPv4-mapped IPv6 becomes IPv4.
    static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
