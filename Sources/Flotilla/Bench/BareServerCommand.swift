import ArgumentParser
import FlotillaKit
import Hummingbird
import Logging
import ServiceLifecycle

/// `flotilla bench bare-server --port N` (hidden): a plain Hummingbird application with one
/// route answering `/live` like the kit's does — the reference the kit's overhead is
/// measured against, run as its own process as the services are. With `--proxy-to URL` it
/// also forwards `GET /proxy/<path>` to `URL/<path>` through the kit's libcurl client and
/// nothing else (no middleware, no policies): the floor a proxy built from the gateway's
/// framework and client starts from.
struct BareServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bare-server", abstract: "Serve GET /live with bare Hummingbird (the benchmark's reference).", shouldDisplay: false)

    @Option(help: "Port on 127.0.0.1.")
    var port: Int

    @Option(help: "Also proxy GET /proxy/<path> to this base URL through the kit's HTTP client.")
    var proxyTo: String?

    func run() async throws {
        let router = Router()
        router.get("/live") { _, _ in "ok\n" }
        var services = [any Service]()
        if let proxyTo {
            let client = FlotillaHTTPClient(configuration: .init(userAgent: "bare-proxy"))
            services.append(client)
            router.get("/proxy/**") { request, _ -> Response in
                let path = request.uri.path.dropFirst("/proxy".count)
                let reply = try await client.execute(HTTPClientRequest(url: proxyTo + path), timeout: .seconds(5))
                return Response(status: .init(code: reply.status), body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
            }
        }
        var logger = Logger(label: "bare-hummingbird")
        logger.logLevel = .warning
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), services: services, logger: logger)
        try await application.runService()
    }
}
