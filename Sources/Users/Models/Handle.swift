/// A profile's handle: what `@mentions` name. Lower-case letters, digits, `-` and `_`, 1 to 39
/// characters, starting and ending with a letter or digit (GitHub's shape), unique.
enum Handle {
    static let maxLength = 39

    /// Whether `text` is a valid handle as it stands.
    static func isValid(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard (1...maxLength).contains(scalars.count), let first = scalars.first, let last = scalars.last,
              isAlphanumeric(first), isAlphanumeric(last)
        else { return false }
        return scalars.allSatisfy { isAlphanumeric($0) || $0 == "-" || $0 == "_" }
    }

    /// A handle made from an email's local part (`Ada.Lovelace+work@x` → `ada-lovelace`), or
    /// `user` when nothing usable is left; uniqueness is the caller's to ensure (``candidates(from:)``).
    static func base(fromEmail email: String) -> String {
        let local = email.split(separator: "@", maxSplits: 1).first.map { $0.split(separator: "+").first ?? $0 } ?? ""
        var handle = ""
        for scalar in local.lowercased().unicodeScalars {
            if isAlphanumeric(scalar) {
                handle.unicodeScalars.append(scalar)
            } else if !handle.isEmpty && handle.last != "-" {
                handle.append("-")
            }
        }
        while handle.hasSuffix("-") { handle.removeLast() }
        handle = String(handle.prefix(maxLength - 5))
        while handle.hasSuffix("-") { handle.removeLast() }
        return handle.isEmpty ? "user" : handle
    }

    /// `base`, then `base-2`, `base-3`, … (each a valid handle): tried in order until one is free.
    static func candidates(from base: String, count: Int = 20) -> [String] {
        [base] + (2...count).map { "\(base)-\($0)" }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
