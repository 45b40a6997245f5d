import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// A real Prometheus (Debian's) scrapes the whole fleet started by `flotilla up`, with the
/// shipped rules: every target is up, and after some traffic every dashboard panel's query
/// returns data.
@Suite("end to end: Prometheus and the dashboards", .serialized)
struct MonitoringTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized

    func json(_ reply: HTTPTestClient.Reply) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(reply.body.utf8))) as? [String: Any] ?? [:]
    }

    @Test func everyTargetUpAndEveryPanelHasData() async throws {
        let fleet = try await FleetUnderTest.start(profile: "all", environment: ["PASSWORD_SCRYPT_LOG_N": "10"])
        defer { fleet.abandon() }
        let services = ["gateway", "auth", "users", "notifications", "projects", "tasks", "time", "comments", "files", "habits", "catalog", "customers", "orders"]

        // Prometheus: the local config's rules, scraping this fleet every second.
        let directory = fleet.home + "/prometheus"
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let rules = Self.repository.appendingPathComponent("monitoring/prometheus/rules").path
        let targets = services.map { "      - targets: [\"127.0.0.1:\(fleet.port(of: $0))\"]\n        labels: {service: \($0)}" }.joined(separator: "\n")
        let configuration = """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            rule_files: ["\(rules)/*.yml"]
            scrape_configs:
              - job_name: flotilla
                static_configs:
            \(targets)
            """
        try configuration.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let check = try await BlockingWork.run { try CleanSpawn.run("promtool", ["check", "config", directory + "/prometheus.yml"]) }
        #expect(check.status == 0, "\(check.output)")
        let port = try FreePort.allocate()
        let prometheus = try #require(CleanSpawn.spawn("prometheus", [
            "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]), "prometheus is not installed (scripts/test-deps install)")
        defer {
            kill(prometheus, SIGTERM)
            _ = CleanSpawn.waitForExit(prometheus)
        }
        let api = "http://127.0.0.1:\(port)/api/v1/query?query="

        // Traffic that touches every panel: reads, a login, a check-in, an order.
        let gateway = fleet.url(of: "gateway") + "/api/v1"
        let jsonHeader = [("Content-Type", "application/json")]
        let dev = try await HTTPTestClient.send("POST", fleet.url(of: "auth") + "/auth/token", headers: jsonHeader, body: #"{"userId": "demo-user", "email": "demo@example.com"}"#)
        let token = try #require(json(dev)["token"] as? String, "\(dev.body)")
        let bearer = [("Authorization", "Bearer \(token)")]
        let account = #"{"email": "watcher@example.com", "password": "a long enough passphrase", "name": "Watcher"}"#
        _ = try await HTTPTestClient.send("POST", gateway + "/auth/register", headers: jsonHeader, body: account)
        let login = try await HTTPTestClient.send("POST", gateway + "/auth/login", headers: jsonHeader, body: #"{"email": "watcher@example.com", "password": "a long enough passphrase"}"#)
        #expect(login.status == 200, "\(login.body)")
        for _ in 0..<3 {
            _ = try await HTTPTestClient.send("GET", gateway + "/products?limit=5", headers: bearer)
            _ = try await HTTPTestClient.send("GET", gateway + "/products/prod_002", headers: bearer)
            _ = try await HTTPTestClient.send("GET", gateway + "/customers/cust_001", headers: bearer)
            _ = try await HTTPTestClient.send("GET", gateway + "/habits/summary", headers: bearer)
        }
        let habit = "00000000-0000-4000-8000-000000000001"
        let today = ZoneInfoDatabase.system.zone("Europe/Berlin")!.localDate(at: Int64(Date().timeIntervalSince1970))
        let checkIn = try await HTTPTestClient.send("PUT", gateway + "/habits/\(habit)/check-ins/\(today)", headers: bearer + jsonHeader, body: #"{"value": 8}"#)
        #expect(checkIn.status == 200 || checkIn.status == 201, "\(checkIn.body)")
        let order = try await HTTPTestClient.send(
            "POST", gateway + "/orders", headers: bearer + jsonHeader + [("Idempotency-Key", UUID().uuidString)],
            body: #"{"customerId": "cust_001", "items": [{"productId": "prod_003", "quantity": 1}], "paymentMethod": "card", "shippingAddress": {"city": "Geneva"}}"#)
        #expect(order.status == 201, "\(order.body)")

        // Every target up, then a few more scrapes so rates have two points.
        let deadline = ContinuousClock.now + .seconds(60)
        var up = [String: Any]()
        while ContinuousClock.now < deadline {
            up = json(try await HTTPTestClient.send("GET", api + "sum(up)"))
            if let value = ((up["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first?["value"] as? [Any],
                value.last as? String == String(services.count)
            {
                break
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(((up["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first?["value"] as? [Any] != nil, "targets: \(up)")
        try await Task.sleep(for: .seconds(4))

        var empty = [String]()
        var expressions = [String]()
        for file in try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("monitoring/grafana/dashboards").path) where file.hasSuffix(".json") {
            let data = try Data(contentsOf: Self.repository.appendingPathComponent("monitoring/grafana/dashboards/\(file)"))
            let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            for panel in dashboard["panels"] as? [[String: Any]] ?? [] {
                for target in panel["targets"] as? [[String: Any]] ?? [] {
                    let expression = (target["expr"] as? String ?? "")
                        .replacingOccurrences(of: "$__rate_interval", with: "15s")
                        .replacingOccurrences(of: "$service", with: ".*").replacingOccurrences(of: "$instance", with: ".*")
                    expressions.append(expression)
                    let query = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                    let answer = json(try await HTTPTestClient.send("GET", api + query))
                    let result = (answer["data"] as? [String: Any])?["result"] as? [Any]
                    #expect(answer["status"] as? String == "success", "\(file) / \(panel["title"] ?? ""): \(answer)")
                    if result?.isEmpty ?? true { empty.append("\(file) / \(panel["title"] ?? "")") }
                }
            }
        }
        #expect(empty.isEmpty, "panels without data: \(empty)")
        // The same expressions as recording rules pass promtool's own parser too.
        let panelRules = "groups:\n  - name: panels\n    rules:\n" + expressions.enumerated().map { index, expression in
            "      - record: panel:query:\(index)\n        expr: '\(expression.replacingOccurrences(of: "'", with: "''"))'"
        }.joined(separator: "\n") + "\n"
        try panelRules.write(toFile: directory + "/panels.yml", atomically: true, encoding: .utf8)
        let parsed = try await BlockingWork.run { try CleanSpawn.run("promtool", ["check", "rules", directory + "/panels.yml"]) }
        #expect(parsed.status == 0 && expressions.count >= 25, "\(expressions.count) panel queries: \(parsed.output)")
        let (down, status) = try await fleet.down()
        #expect(down.status == 0 && status == 0)
    }
}
