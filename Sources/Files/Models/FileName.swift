import FlotillaKit

/// File names as people give them, made safe: stored as given when acceptable (1–255
/// characters, no control characters, no path separators), and sent back in an RFC 6266
/// `Content-Disposition` with an ASCII fallback and the exact name in `filename*` (RFC 8187).
enum FileName {
    /// Whether `name` may be stored as a file's name.
    static func isValid(_ name: String) -> Bool {
        (1...255).contains(name.count) && name != "." && name != ".."
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "/" || $0 == "\\" }
    }

    static let rule = "must be 1 to 255 characters without control characters, '/' or '\\\\'"

    /// `attachment; filename="report.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`.
    static func contentDisposition(_ name: String, inline: Bool = false) -> String {
        let fallback = String(name.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar != "%" ? Character(scalar) : "_"
        })
        return "\(inline ? "inline" : "attachment"); filename=\"\(fallback)\"; filename*=UTF-8''\(percentEncoded(name))"
    }

    /// RFC 8187 `attr-char` kept, every other UTF-8 byte as `%XX`.
    static func percentEncoded(_ text: String) -> String {
        text.percentEncoded(alsoKeeping: "!#$&+^`|")
    }
}
