import ArgumentParser
import Foundation

/// `flotilla reset`: drop the fleet's local data (database, Redis, keys, logs).
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Delete the fleet's local data: database, Redis, signing keys, logs (asks first).")

    @Flag(name: .long, help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var location: FleetLocation

    func run() async throws {
        let home = location.home
        if let record = home.readRecord(), isAlive(record.supervisor) {
            throw ValidationError("The fleet is running (pid \(record.supervisor)); stop it with `flotilla down` first.")
        }
        guard FileManager.default.fileExists(atPath: home.root.path) else {
            print("Nothing to reset in \(home.root.path).")
            return
        }
        if !yes {
            guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("Not a terminal: pass --yes to delete \(home.root.path).") }
            print("Delete everything in \(home.root.path) (database, Redis data, signing keys, logs)? Type yes: ", terminator: "")
            guard readLine()?.lowercased() == "yes" else {
                print("Nothing deleted.")
                return
            }
        }
        try FileManager.default.removeItem(at: home.root)
        print("Deleted \(home.root.path); the next `flotilla up` starts from scratch.")
    }
}
