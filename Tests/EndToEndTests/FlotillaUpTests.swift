import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// `flotilla up` as a newcomer runs it: the chronos profile on free ports in a temporary
/// home, the API through the gateway, `flotilla status`, `flotilla down`, and nothing left
/// running. Then the two ways it must refuse to start, with a message a person can act on.
@Suite("end to end: flotilla up", .serialized)
struct FlotillaUpTests {
    static func temporaryHome() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("flotilla-up-\(UUID().uuidString.prefix(8))").path
    }

    func json(_ reply: HTTPTestClient.Reply) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
    }

    @Test func upChronosServeStatusDownAndNothingLeft() async throws {
        let fleet = try await FleetUnderTest.start(profile: "chronos")
        let home = fleet.home
        let base = fleet.base
        let gateway = fleet.url(of: "gateway")
        let deadline = ContinuousClock.now + .seconds(120)
        func log() -> String { fleet.log() }

        // Token, products, a purchase, a customer: through the gateway.
        let jsonHeader = [("Content-Type", "application/json")]
        let tokenReply = try await HTTPTestClient.send("POST", gateway + "/auth/token", headers: jsonHeader, body: #"{"userId": "newcomer", "email": "new@example.com"}"#)
        let token = try #require(try json(tokenReply)["token"] as? String, "\(tokenReply.body)")
        let bearer = [("Authorization", "Bearer \(token)")]
        let products = try await HTTPTestClient.send("GET", gateway + "/api/v1/products?limit=2", headers: bearer)
        let page = try json(products)
        #expect(products.status == 200 && (page["data"] as? [Any])?.count == 2, "\(products.body)")
        let purchase = try await HTTPTestClient.send("PATCH", gateway + "/products/prod_001/inventory", headers: bearer + jsonHeader, body: #"{"quantity": 1}"#)
        #expect(purchase.status == 200, "\(purchase.body)")
        let customer = try await HTTPTestClient.send("GET", gateway + "/customers/cust_001", headers: bearer)
        let detail = try json(customer)
        #expect(customer.status == 200 && detail["vip_tier"] as? String != nil, "\(customer.body)")

        // A cancellation puts the stock back: orders' restock client is wired at both ends, as
        // the chart wires it (the catalog is read directly: the gateway caches its reads).
        func stock() async throws -> Int? { try json(try await HTTPTestClient.send("GET", fleet.url(of: "catalog") + "/products/prod_002", headers: bearer))["stock"] as? Int }
        let stockBefore = try #require(try await stock())
        let checkout = #"{"customerId": "cust_001", "items": [{"productId": "prod_002", "quantity": 1}], "paymentMethod": "card", "shippingAddress": {"city": "Geneva"}}"#
        let order = try await HTTPTestClient.send(
            "POST", gateway + "/api/v1/orders", headers: bearer + jsonHeader + [("Idempotency-Key", UUID().uuidString)], body: checkout)
        let orderID = try #require(try json(order)["id"] as? String, "\(order.body)")
        #expect(try await stock() == stockBefore - 1)
        let cancelled = try await HTTPTestClient.send("POST", gateway + "/api/v1/orders/\(orderID)/cancel", headers: bearer)
        let cancellation = try json(cancelled)
        #expect(cancelled.status == 200 && cancellation["restock"] as? String == "done", "\(cancelled.body)")
        #expect(try await stock() == stockBefore)

        // A crashed service is restarted (after a backoff of 1 s) and the record follows it.
        func recordedPID(of service: String) throws -> Int32? {
            let record = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: home + "/run.json")))
            guard case .array(let services)? = record["services"],
                case .int(let pid)? = services.first(where: { $0["name"]?.stringValue == service })?["pid"]
            else { return nil }
            return Int32(pid)
        }
        let crashed = try #require(try recordedPID(of: "catalog"))
        kill(crashed, SIGKILL)
        while (try recordedPID(of: "catalog")) == crashed && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(log().contains("catalog exited (killed by a signal); restarting in 1 s"), "\(log())")
        while (try? HealthcheckProbe(url: "http://127.0.0.1:\(base + 15)/ready", timeoutSeconds: 1).run()) == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let again = try await HTTPTestClient.send("GET", gateway + "/api/v1/products?limit=1", headers: bearer)
        #expect(again.status == 200, "the restarted catalog serves: \(again.body)")

        let status = try await ServiceProcess.run(executable: "flotilla", arguments: ["status", "--home-path", home])
        #expect(status.status == 0, "\(status.output)")
        let gatewayLog = try await ServiceProcess.run(executable: "flotilla", arguments: ["logs", "gateway", "--home-path", home, "--lines", "5"])
        #expect(gatewayLog.status == 0 && gatewayLog.output.contains(#""service":"gateway""#), "\(gatewayLog.output)")
        let resetWhileRunning = try await ServiceProcess.run(executable: "flotilla", arguments: ["reset", "--yes", "--home-path", home])
        #expect(resetWhileRunning.status != 0 && resetWhileRunning.output.contains("flotilla down"), "\(resetWhileRunning.output)")
        #expect(status.output.contains("gateway") && status.output.contains("pass"))

        // Everything it started, to check afterwards.
        let started = try fleet.startedProcesses()
        #expect(started.count == 8, "6 services (notifications among them), Redis and PostgreSQL: \(started)")

        let (down, up) = try await fleet.down()
        #expect(down.status == 0, "\(down.output)")
        #expect(up == 0, "flotilla up exits cleanly after down:\n\(log())")
        for process in started {
            #expect(!CleanSpawn.isRunning(process), "process \(process) is still running")
        }
        #expect(!FileManager.default.fileExists(atPath: home + "/run.json"))
        #expect(log().contains("stopping services, then Redis, then PostgreSQL"))
    }

    /// `--exit-with-parent` (which the suite's fleets use): the process that started
    /// `flotilla up` is killed, so it cannot stop anything itself; the fleet stops in order
    /// all the same and leaves nothing running.
    @Test func aKilledParentStillStopsTheFleet() async throws {
        let fleet = try await FleetUnderTest.start(profile: "habit-tracker", throughShell: true)
        let supervisor = try #require(fleet.supervisor)
        let started = try fleet.startedProcesses() + [supervisor]
        #expect(started.count == 7, "4 services (auth, notifications, habits, gateway), Redis, PostgreSQL and flotilla up: \(started)")
        #expect(supervisor != fleet.pid, "the shell is flotilla up's parent")

        kill(fleet.pid, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(60)
        while started.contains(where: CleanSpawn.isRunning) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        for process in started {
            #expect(!CleanSpawn.isRunning(process), "process \(process) is still running:\n\(fleet.log())")
        }
        #expect(fleet.log().contains("the process that started flotilla up exited"), "\(fleet.log())")
        #expect(!FileManager.default.fileExists(atPath: fleet.home + "/run.json"), "the run record is removed as on a normal stop")
    }

    @Test func commandsWithoutARunningFleet() async throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let status = try await ServiceProcess.run(executable: "flotilla", arguments: ["status", "--home-path", home])
        #expect(status.status == 1 && status.output.contains("not running"), "\(status.output)")
        let down = try await ServiceProcess.run(executable: "flotilla", arguments: ["down", "--home-path", home])
        #expect(down.status == 0 && down.output.contains("Nothing is running"), "\(down.output)")
        try FileManager.default.createDirectory(atPath: home + "/logs", withIntermediateDirectories: true)
        try "line one\nline two\n".write(toFile: home + "/logs/auth.log", atomically: true, encoding: .utf8)
        let unknown = try await ServiceProcess.run(executable: "flotilla", arguments: ["logs", "nope", "--home-path", home])
        #expect(unknown.status != 0 && unknown.output.contains("No log for 'nope'") && unknown.output.contains("There are: auth."), "\(unknown.output)")
        let auth = try await ServiceProcess.run(executable: "flotilla", arguments: ["logs", "auth", "--home-path", home, "--lines", "1"])
        #expect(auth.output.trimmingCharacters(in: .whitespacesAndNewlines) == "line two")
        let unconfirmed = try await ServiceProcess.run(executable: "flotilla", arguments: ["reset", "--home-path", home])
        #expect(unconfirmed.status != 0 && unconfirmed.output.contains("pass --yes"), "\(unconfirmed.output)")
        #expect(FileManager.default.fileExists(atPath: home + "/logs/auth.log"), "nothing deleted without confirmation")
        let reset = try await ServiceProcess.run(executable: "flotilla", arguments: ["reset", "--yes", "--home-path", home])
        #expect(reset.status == 0 && !FileManager.default.fileExists(atPath: home), "\(reset.output)")
        let badProfile = try await ServiceProcess.run(executable: "flotilla", arguments: ["up", "--profile", "nope", "--home-path", home])
        #expect(badProfile.status != 0 && badProfile.output.contains("chronos"), "the error lists the profiles: \(badProfile.output)")
    }

    @Test func aTakenPortIsNamed() async throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let base = try FreePort.block(of: 18)
        let holder = try #require(PortHolder(port: base))
        let result = try await ServiceProcess.run(executable: "flotilla", arguments: [
            "up", "--profile", "chronos", "--home-path", home, "--port-offset", String(base - 3000), "--no-build",
            "--postgres-port", String(try FreePort.allocate()), "--redis-port", String(try FreePort.allocate()),
        ])
        #expect(result.status == 1)
        #expect(result.output.contains("Port \(holder.port) (gateway) is already in use"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: home + "/postgres/PG_VERSION"), "nothing was started")
    }

    /// As root, PostgreSQL runs as `postgres`, which cannot enter a mode-700 directory such
    /// as root's home: flotilla up says which directory blocks it and what to do.
    @Test(.enabled(if: geteuid() == 0, "only root runs PostgreSQL as another user"))
    func aHomeThePostgresUserCannotEnterIsExplained() async throws {
        let outer = Self.temporaryHome()
        try FileManager.default.createDirectory(atPath: outer, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: outer) }
        let result = try await ServiceProcess.run(executable: "flotilla", arguments: [
            "up", "--profile", "chronos", "--home-path", outer + "/home", "--no-build",
            "--postgres-port", String(try FreePort.allocate()), "--redis-port", String(try FreePort.allocate()),
        ])
        #expect(result.status != 0)
        #expect(result.output.contains("cannot enter \(outer) (mode 700)"), "\(result.output)")
        #expect(result.output.contains("--home-path") && result.output.contains("chmod o+x \(outer)"), "\(result.output)")
        #expect(!result.output.contains("initdb failed"), "refused before initdb: \(result.output)")
    }

    @Test func aMissingRedisServerGetsInstallAdvice() async throws {
        let home = Self.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let result = try await ServiceProcess.run(
            executable: "flotilla", environment: ["PATH": "/nonexistent"],
            arguments: ["up", "--profile", "chronos", "--home-path", home, "--no-build"])
        #expect(result.status == 1)
        #expect(result.output.contains("Missing redis-server"), "\(result.output)")
        #expect(result.output.contains("apt-get install --no-install-recommends postgresql redis-server"), "\(result.output)")
    }
}
