import Foundation
import Synchronization

/// Merges the services' output into one stream: each line prefixed with its service's name,
/// in a colour of its own when the terminal shows colour, and copied to the service's log
/// file for `flotilla logs`.
final class LogPrinter: Sendable {
    private let colour: Bool
    private let width: Int
    private let lock = Mutex<Void>(())
    private static let palette = [36, 33, 35, 32, 34, 31, 96, 93, 95, 92]

    init(services: [String], colour: Bool) {
        self.colour = colour
        width = max(8, services.map(\.count).max() ?? 0)
    }

    func prefix(for service: String, index: Int) -> String {
        let name = service.padding(toLength: width, withPad: " ", startingAt: 0)
        return colour ? "\u{1B}[\(Self.palette[index % Self.palette.count])m\(name) |\u{1B}[0m " : "\(name) | "
    }

    /// Print `line` (without its newline) under `prefix`.
    func print(_ line: Substring, prefix: String) {
        let text = prefix + line + "\n"
        lock.withLock { _ in FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    /// Text as it is (the summary table).
    func write(_ text: String) {
        lock.withLock { _ in FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
    }

    /// A message from `flotilla` itself.
    func say(_ message: String) {
        let text = (colour ? "\u{1B}[1mflotilla\u{1B}[0m " : "flotilla ") + message + "\n"
        lock.withLock { _ in FileHandle.standardOutput.write(Data(text.utf8)) }
    }
}
