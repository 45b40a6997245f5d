/// The services of the fleet and their local ports (`flotilla up`; in a cluster every
/// service listens on 8080 behind its own Service). The single list the gateway's route
/// table, the CLI and the deployment tooling agree on.
public enum Fleet {
    public struct Member: Sendable, Hashable {
        public let name: String
        public let localPort: Int

        /// `http://127.0.0.1:<port>`, the default upstream URL outside a cluster.
        public var localURL: String { "http://127.0.0.1:\(localPort)" }
    }

    public static let members: [Member] = [
        ("gateway", 3000), ("auth", 3001), ("users", 3002), ("habits", 3003), ("tasks", 3004),
        ("projects", 3005), ("time", 3006), ("comments", 3007), ("files", 3008), ("notifications", 3009),
        ("analytics", 3010), ("gamification", 3011), ("challenges", 3012), ("integrations", 3013),
        ("realtime", 3014), ("catalog", 3015), ("customers", 3016), ("orders", 3017),
    ].map { Member(name: $0.0, localPort: $0.1) }

    /// The member called `name`, if there is one.
    public static func member(_ name: String) -> Member? {
        members.first { $0.name == name }
    }
}
