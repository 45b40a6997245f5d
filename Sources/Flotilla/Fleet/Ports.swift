import FlotillaKitTesting

/// Loopback port checks before anything is started.
enum Ports {
    /// Whether something holds 127.0.0.1:`port`.
    static func isInUse(_ port: Int) -> Bool {
        !FreePort.isFree(port)
    }

    /// Fails naming every port of `wanted` (port → what it is for) that is taken.
    static func requireFree(_ wanted: [(port: Int, owner: String)]) throws(FleetFailure) {
        let taken = wanted.filter { isInUse($0.port) }
        guard !taken.isEmpty else { return }
        let list = taken.map { "\($0.port) (\($0.owner))" }.joined(separator: ", ")
        throw FleetFailure(
            "Port\(taken.count == 1 ? "" : "s") \(list) \(taken.count == 1 ? "is" : "are") already in use. "
                + "Stop what listens there, or move the fleet with --port-offset N (and --postgres-port / --redis-port).")
    }
}
