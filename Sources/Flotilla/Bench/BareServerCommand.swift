import ArgumentParser
import Hummingbird
import Logging

/// `flotilla bench bare-server --port N` (hidden): a plain Hummingbird application with one
/// route answering `/live` like the kit's does — the reference the kit's overhead is
/// measured against, run as its own process as the services are.
struct BareServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server", abstract: "Serve GET /live with bare Hummingbird (the benchmark's reference).", shouldDisplay: false)

    @Option(help: "Port on 127.0.0.1.")
    var port: Int

    func run() async throws {
        let router = Router()
        router.get("/live") { _, _ in "ok\n" }
        var logger = Logger(label: "bare-hummingbird")
        logger.logLevel = .warning
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: logger)
        try await application.runService()
    }
}
