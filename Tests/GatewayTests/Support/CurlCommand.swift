import FlotillaKitTesting
import Foundation

/// A request sent with the `curl` command, for headers a test HTTP client will not send
/// as given (a custom `Connection`).
enum CurlCommand {
    struct Reply {
        let status: Int
        let headerLines: [String]
        let body: String

        /// Every value of header `name`, in order.
        func headers(_ name: String) -> [String] {
            headerLines.compactMap { line in
                guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name.lowercased() else { return nil }
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
    }

    static func get(_ url: String, headers: [String]) async throws -> Reply {
        try await BlockingWork.run { try getBlocking(url, headers: headers) }
    }

    static func getBlocking(_ url: String, headers: [String]) throws -> Reply {
        let text = try CleanSpawn.run("curl", ["-s", "-i", "--max-time", "60"] + headers.flatMap { ["-H", $0] } + [url]).output
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first?.components(separatedBy: "\r\n") ?? []
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        return Reply(status: status, headerLines: Array(head.dropFirst()), body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}
