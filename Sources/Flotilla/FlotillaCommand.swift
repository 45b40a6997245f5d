import ArgumentParser

/// `flotilla`: the developer CLI. Today it benchmarks the data layer; `up`, `down`,
/// `status` and `load` join it as the fleet grows.
@main
struct FlotillaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flotilla",
        abstract: "Run, inspect and measure the Flotilla fleet.",
        subcommands: [BenchCommand.self]
    )
}

/// `flotilla bench ...`
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of the fleet beside reference tools on the same machine.",
        subcommands: [DataBenchCommand.self, HTTPBenchCommand.self, GatewayBenchCommand.self]
    )
}
