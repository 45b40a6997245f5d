import CCurl
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Where and how to send mail: `smtp://host:port` (with `requireTLS`, STARTTLS is required) or
/// `smtps://host:port` (TLS from the start), and credentials when the relay wants them.
public struct SMTPConfiguration: Sendable {
    public var url: String
    public var username: String?
    public var password: String?
    /// Insist on STARTTLS for `smtp://` (refuse to send in clear).
    public var requireTLS: Bool
    /// Longest a whole send may take.
    public var timeout: Duration

    public init(url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = false, timeout: Duration = .seconds(30)) {
        self.url = url
        self.username = username
        self.password = password
        self.requireTLS = requireTLS
        self.timeout = timeout
    }

    /// The URL without any credentials in it, for logs.
    public var redactedURL: String {
        guard let scheme = url.firstRange(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        return String(url[..<scheme.upperBound]) + "***" + String(url[at...])
    }
}

/// A refusal or failure from the mail relay, with curl's explanation.
public struct SMTPError: Error, CustomStringConvertible {
    public let code: Int
    public let message: String
    public var description: String { "SMTP send failed (curl \(code)): \(message)" }

    public init(code: Int, message: String) {
        self.code = code
        self.message = message
    }
}

/// Sends mail over SMTP with libcurl. `curl_easy_perform` blocks, so every send runs on the
/// client's own threads (docs/adr/004), never on an event loop.
public final class SMTPClient: Sendable {
    public let configuration: SMTPConfiguration
    private let threads: BlockingCallPool

    public init(configuration: SMTPConfiguration, concurrentSends: Int = 2) {
        self.configuration = configuration
        self.threads = BlockingCallPool(threadCount: concurrentSends)
    }

    /// Send `message` (RFC 5322 text) from envelope sender `from` to `recipients`.
    public func send(from: String, to recipients: [String], message: String) async throws {
        let configuration = self.configuration
        try await threads.run { try Self.perform(configuration, from: from, to: recipients, message: Array(message.utf8)) }
    }

    /// Stop the threads.
    public func shutdown() async {
        await threads.shutdown()
    }

    private static func perform(_ configuration: SMTPConfiguration, from: String, to recipients: [String], message: [UInt8]) throws {
        guard let handle = curl_easy_init() else { throw SMTPError(code: -1, message: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        let upload = UploadCursor(bytes: message)
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        defer { errorBuffer.deallocate() }
        var recipientList: UnsafeMutablePointer<curl_slist>?
        for recipient in recipients { recipientList = curl_slist_append(recipientList, "<\(recipient)>") }
        defer { curl_slist_free_all(recipientList) }

        flotilla_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        flotilla_setopt_string(handle, CURLOPT_URL, configuration.url)
        flotilla_setopt_string(handle, CURLOPT_MAIL_FROM, "<\(from)>")
        flotilla_setopt_slist(handle, CURLOPT_MAIL_RCPT, recipientList)
        if let username = configuration.username { flotilla_setopt_string(handle, CURLOPT_USERNAME, username) }
        if let password = configuration.password { flotilla_setopt_string(handle, CURLOPT_PASSWORD, password) }
        if configuration.requireTLS { flotilla_setopt_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        flotilla_setopt_long(handle, CURLOPT_UPLOAD, 1)
        flotilla_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(message.count))
        let context = Unmanaged.passUnretained(upload).toOpaque()
        flotilla_setopt_pointer(handle, CURLOPT_READDATA, context)
        flotilla_setopt_callback(handle, CURLOPT_READFUNCTION, smtpReadMessage)
        flotilla_setopt_long(handle, CURLOPT_TIMEOUT_MS, max(1, configuration.timeout.wholeMilliseconds))
        flotilla_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        let result = withExtendedLifetime(upload) { curl_easy_perform(handle) }
        guard result == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            throw SMTPError(code: Int(result.rawValue), message: detail.isEmpty ? String(cString: curl_easy_strerror(result)) : detail)
        }
    }
}

/// The message bytes handed to curl's read callback, a piece at a time.
private final class UploadCursor {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}

private func smtpReadMessage(_ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?) -> Int {
    guard let buffer, let context else { return 0 }
    let cursor = Unmanaged<UploadCursor>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, cursor.bytes.count - cursor.offset)
    guard length > 0 else { return 0 }
    cursor.bytes.withUnsafeBytes { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + cursor.offset, byteCount: length)
    }
    cursor.offset += length
    return length
}
