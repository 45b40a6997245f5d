#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One email, rendered to RFC 5322 text with a MIME `multipart/alternative` body (plain text,
/// and HTML when given), UTF-8 throughout: headers with non-ASCII text are RFC 2047 encoded,
/// bodies base64 in 76-character lines.
public struct EmailMessage: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    /// `Message-ID` without brackets; unique per message (the delivery's id, say).
    public var messageID: String
    public var date: Date

    public init(from: String, to: String, subject: String, text: String, html: String? = nil, messageID: String, date: Date = Date()) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.messageID = messageID
        self.date = date
    }

    /// The message as sent over SMTP (CRLF line ends).
    public func rfc5322() -> String {
        var lines = [
            "From: \(from)", "To: \(to)", "Subject: \(Self.encodedWord(subject))", "Date: \(Self.rfc2822Date(date))",
            "Message-ID: <\(messageID)>", "MIME-Version: 1.0",
        ]
        let textPart = ["Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: base64", "", Self.base64Lines(text)]
        guard let html else {
            lines += textPart
            return lines.joined(separator: "\r\n") + "\r\n"
        }
        let boundary = "=_flotilla_" + String(messageID.filter { $0.isASCII && ($0.isLetter || $0.isNumber) })
        lines += ["Content-Type: multipart/alternative; boundary=\"\(boundary)\"", "", "--\(boundary)"]
        lines += textPart
        lines += ["--\(boundary)", "Content-Type: text/html; charset=UTF-8", "Content-Transfer-Encoding: base64", "", Self.base64Lines(html)]
        lines.append("--\(boundary)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// `text` as is when printable ASCII, else one RFC 2047 base64 encoded word per chunk.
    static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }) { return text }
        // At most 45 bytes per word keeps each encoded word under 76 characters.
        var words = [String]()
        var chunk = [UInt8]()
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 45 {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func base64Lines(_ text: String) -> String {
        Data(text.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
    }

    /// `Sun, 06 Dec 2026 09:30:00 +0000` (computed, so no locale data is needed).
    static func rfc2822Date(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let day = LocalDate(daysSinceEpoch: seconds.floorDivided(by: 86_400))
        let (year, month, dayOfMonth) = day.components
        let secondOfDay = seconds - day.daysSinceEpoch * 86_400
        let weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.weekday.rawValue - 1]
        let monthName = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][month - 1]
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekday), \(two(dayOfMonth)) \(monthName) \(year) \(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}
