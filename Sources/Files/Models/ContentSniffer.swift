/// What a file really is, from its first bytes (the WHATWG MIME-sniffing signatures for the
/// types the allow-list can name), and whether a declared type agrees with it.
enum ContentSniffer {
    /// The type the first bytes `head` show, or nil when they match no known signature and
    /// are not text.
    static func sniff(_ head: [UInt8]) -> String? {
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<(offset + signature.count)]) == signature
        }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x50, 0x4B, 0x03, 0x04]) || starts([0x50, 0x4B, 0x05, 0x06]) { return "application/zip" }
        if starts([0x1F, 0x8B, 0x08]) { return "application/gzip" }
        if isText(head) { return "text/plain" }
        return nil
    }

    /// Declared types that are a kind of a sniffed one: a text file may be CSV, Markdown or
    /// JSON; a ZIP may be an Office document.
    static let refinements: [String: Set<String>] = [
        "text/plain": ["text/csv", "text/markdown", "application/json"],
        "application/zip": [
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ],
    ]

    /// Why an upload's type is refused.
    enum Refusal: Error, Equatable {
        /// The bytes are no type the service accepts (`sniffed` is what they are, if known).
        case notAllowed(sniffed: String?)
        /// The client said `declared`, the bytes say `sniffed`.
        case mismatch(declared: String, sniffed: String)
    }

    /// The type to store for content `head` declared as `declared` (the media type without
    /// parameters, or nil/`application/octet-stream` for "unknown"), given the `allowed` types.
    static func resolve(declared: String?, head: [UInt8], allowed: Set<String>) -> Result<String, Refusal> {
        let sniffed = sniff(head)
        let declared = declared.map(mediaType)
        guard let sniffed else { return .failure(.notAllowed(sniffed: nil)) }
        let chosen: String
        if let declared, declared != "application/octet-stream", declared != sniffed {
            guard refinements[sniffed]?.contains(declared) == true else { return .failure(.mismatch(declared: declared, sniffed: sniffed)) }
            chosen = declared
        } else {
            chosen = sniffed
        }
        return allowed.contains(chosen) ? .success(chosen) : .failure(.notAllowed(sniffed: chosen))
    }

    /// `text/csv; charset=utf-8` → `text/csv`.
    static func mediaType(_ header: String) -> String {
        header.split(separator: ";", omittingEmptySubsequences: false)[0].filter { $0 != " " && $0 != "\t" }.lowercased()
    }

    /// Text: valid UTF-8 (a sequence cut at the end of `head` allowed) without NUL or other
    /// control characters than tab, line feed, form feed and carriage return. Empty is text.
    private static func isText(_ head: [UInt8]) -> Bool {
        var index = 0
        while index < head.count {
            let byte = head[index]
            if byte < 0x80 {
                if byte < 0x20 && ![0x09, 0x0A, 0x0C, 0x0D].contains(byte) || byte == 0x7F { return false }
                index += 1
                continue
            }
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC2 ? 2 : 0
            guard length > 0, byte < 0xF5 else { return false }
            for next in 1..<length {
                guard index + next < head.count else { return true }
                guard head[index + next] & 0xC0 == 0x80 else { return false }
            }
            index += length
        }
        return true
    }
}
