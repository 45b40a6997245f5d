import FlotillaKit
import Foundation

/// How an email leaves the service.
protocol EmailTransport: Sendable {
    /// Send `message`; throws when the relay refuses it or cannot be reached.
    func send(_ message: EmailMessage, envelopeFrom: String) async throws
    /// Where mail goes, for the logs (no credentials).
    var destination: String { get }
}

/// An SMTP relay, through libcurl.
struct SMTPTransport: EmailTransport {
    let client: SMTPClient

    func send(_ message: EmailMessage, envelopeFrom: String) async throws {
        guard let to = EmailAddressText.envelope(of: message.to) else { throw SMTPError(code: -1, message: "invalid recipient \(message.to)") }
        try await client.send(from: envelopeFrom, to: [to], message: message.rfc5322())
    }

    var destination: String { client.configuration.redactedURL }
}

/// No relay configured (the `flotilla up` default): each email becomes `<message-id>.eml` in
/// a directory, written whole (a temporary name, then renamed) so a reader never sees half.
struct MailDirectoryTransport: EmailTransport {
    let directory: String
    private let thread = BlockingCallPool(threadCount: 1)

    init(directory: String) {
        self.directory = directory
    }

    func send(_ message: EmailMessage, envelopeFrom: String) async throws {
        let directory = self.directory
        let text = message.rfc5322()
        try await thread.run {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = "\(directory)/\(message.messageID).eml"
            try Data(text.utf8).write(to: URL(fileURLWithPath: path + ".tmp"))
            _ = try? FileManager.default.removeItem(atPath: path)
            try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
        }
    }

    var destination: String { "files in \(directory)" }
}
