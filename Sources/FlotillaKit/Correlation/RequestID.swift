/// The `X-Request-ID` of a request: the caller's when it is acceptable, a new one otherwise.
public enum RequestID {
    /// Longest request ID accepted from a caller.
    public static let maximumLength = 128

    /// The caller's `header` if it is 1–128 visible ASCII characters, otherwise a fresh ID.
    public static func accept(_ header: String?) -> String {
        if let header, isAcceptable(header) {
            return header
        }
        return generate()
    }

    /// Whether a caller-supplied ID can be reused: 1–128 characters, each visible ASCII (`!`...`~`).
    public static func isAcceptable(_ candidate: String) -> Bool {
        let bytes = candidate.utf8
        return !bytes.isEmpty && bytes.count <= maximumLength && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// A new random ID (32 hex digits).
    public static func generate() -> String {
        RandomHex.make(byteCount: 16)
    }
}
