import ArgumentParser
import FlotillaKitTesting
import Foundation

/// `flotilla down`: stop what `flotilla up` started, from any terminal.
struct DownCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down", abstract: "Stop the fleet `flotilla up` started (services, then Redis, then PostgreSQL).")

    @OptionGroup var location: FleetLocation

    func run() async throws {
        let home = location.home
        guard let record = home.readRecord() else {
            print("Nothing is running from \(home.root.path).")
            return
        }
        if isAlive(record.supervisor) {
            // The supervisor stops everything in order and removes the record.
            kill(record.supervisor, SIGTERM)
            let deadline = ContinuousClock.now + .seconds(60)
            while isAlive(record.supervisor) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        // Whatever is left (the supervisor was killed, or did not finish in time).
        for service in record.services.reversed() where isAlive(service.pid) {
            kill(service.pid, SIGTERM)
            try await waitForExit(service.pid, killAfter: .seconds(10))
        }
        if let pid = record.redisPID, isAlive(pid) {
            kill(pid, SIGTERM)
            try await waitForExit(pid, killAfter: .seconds(10))
        }
        if let prerequisites = try? Prerequisites.find() {
            _ = try? ChildProcess.run(prerequisites.postgresBin.appendingPathComponent("pg_ctl").path, ["-D", home.postgres.path, "-m", "fast", "-w", "stop"])
        }
        home.removeRecord()
        print("Stopped the fleet in \(home.root.path).")
    }

    private func waitForExit(_ pid: Int32, killAfter grace: Duration) async throws {
        let deadline = ContinuousClock.now + grace
        while isAlive(pid) {
            if ContinuousClock.now >= deadline { kill(pid, SIGKILL) }
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}
