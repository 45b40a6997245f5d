import ArgumentParser

/// `flotilla`: the developer CLI — run the fleet on this machine (`up`, `down`, `status`,
/// `logs`, `reset`) and measure it (`bench`).
@main
struct FlotillaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flotilla",
        abstract: "Run, inspect and measure the Flotilla fleet.",
        subcommands: [UpCommand.self, DownCommand.self, StatusCommand.self, LogsCommand.self, ResetCommand.self, LoadCommand.self, BenchCommand.self]
    )
}

/// `flotilla bench ...`
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of the fleet beside reference tools on the same machine.",
        subcommands: [
            AllBenchCommand.self, ThroughputBenchCommand.self, DataBenchCommand.self, HTTPBenchCommand.self, GatewayBenchCommand.self,
            ServicesBenchCommand.self, CapacityBenchCommand.self, EventsBenchCommand.self, PeersBenchCommand.self, BareServerCommand.self,
        ]
    )
}
