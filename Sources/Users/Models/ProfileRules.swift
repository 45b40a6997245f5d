import FlotillaKit

/// Checks on the free-form fields of a profile, apart from I/O (table-tested).
enum ProfileRules {
    /// A BCP 47 language tag as clients send it: `en`, `de-DE`, `pt-BR`, `zh-Hant-TW`, `es-419`.
    static func isLocale(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let language = parts.first, (2...3).contains(language.count), language.allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        var rest = parts.dropFirst()
        if let script = rest.first, script.count == 4, script.first!.isUppercase, script.dropFirst().allSatisfy({ $0.isASCII && $0.isLowercase }) {
            rest = rest.dropFirst()
        }
        if let region = rest.first {
            let isRegion = (region.count == 2 && region.allSatisfy { $0.isASCII && $0.isUppercase }) || (region.count == 3 && region.allSatisfy { $0.isASCII && $0.isNumber })
            guard isRegion else { return false }
            rest = rest.dropFirst()
        }
        return rest.isEmpty
    }

    /// An absolute `https` (or `http`) URL with a host and no white space.
    static func isAvatarURL(_ text: String) -> Bool {
        let lowered = text.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lowered.hasPrefix($0) }) else { return false }
        let host = text.dropFirst(scheme.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !host.isEmpty && !text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
    }
}
