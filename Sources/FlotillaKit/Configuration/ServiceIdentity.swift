/// What a service binary is: its name, version and default local port.
public struct ServiceIdentity: Sendable, Equatable {
    /// Service name as it appears in logs, metrics and `/health` (e.g. `catalog`).
    public let name: String
    /// Version compiled into the binary.
    public let version: String
    /// Port used when `PORT` is not set (the `flotilla up` port from the design table).
    public let defaultPort: Int

    public init(name: String, version: String, defaultPort: Int) {
        self.name = name
        self.version = version
        self.defaultPort = defaultPort
    }
}
