import ArgumentParser
import FlotillaKit
import Foundation

/// `flotilla status`: every running service's `/health`, as a table; exit 1 when any fails.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show each running service's health; exit status 1 if any is failing or down.")

    @OptionGroup var location: FleetLocation

    func run() async throws {
        guard let record = location.home.readRecord() else {
            print("The fleet is not running (no \(location.home.runRecord.path)); start it with `flotilla up`.")
            throw ExitCode(1)
        }
        let client = FlotillaHTTPClient(configuration: .init(userAgent: "flotilla-status"))
        defer { Task { await client.shutdown() } }
        var healthy = true
        let width = max(9, record.services.map(\.name.count).max() ?? 0)
        print("service".padding(toLength: width, withPad: " ", startingAt: 0) + "  url                      status  checks")
        for service in record.services {
            let url = "http://127.0.0.1:\(service.port)"
            let (status, detail) = await Self.health(of: url, client: client)
            if status != "pass" && status != "warn" { healthy = false }
            print(service.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + url.padding(toLength: 24, withPad: " ", startingAt: 0)
                + " " + status.padding(toLength: 7, withPad: " ", startingAt: 0) + " " + detail)
        }
        if !healthy { throw ExitCode(1) }
    }

    /// `status` of the health document and its checks that are not passing.
    static func health(of url: String, client: FlotillaHTTPClient) async -> (String, String) {
        guard let response = try? await client.execute(.init(url: url + "/health"), timeout: .seconds(3)) else { return ("down", "no answer") }
        guard let document = try? JSONDecoder().decode(JSONValue.self, from: Data(response.body)),
            let status = document["status"]?.stringValue
        else { return ("fail", "HTTP \(response.status), not a health document") }
        guard case .object(let checks)? = document["checks"] else { return (status, "") }
        let notPassing = checks.compactMap { name, observations -> String? in
            guard case .array(let list) = observations else { return nil }
            let bad = list.compactMap { $0["status"]?.stringValue }.filter { $0 != "pass" }
            return bad.isEmpty ? nil : "\(name): \(bad.joined(separator: ","))"
        }
        return (status, notPassing.isEmpty ? "all checks pass" : notPassing.sorted().joined(separator: "; "))
    }
}
