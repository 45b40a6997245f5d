/// Email addresses as accounts key them: trimmed and lower-cased (the local part too, as
/// users expect), checked for a plausible shape without trying to implement RFC 5322. One rule
/// for auth's accounts and the users service's invitations.
public enum EmailAddress {
    /// Trimmed and lower-cased.
    public static func normalise(_ raw: String) -> String {
        raw.trimmed.lowercased()
    }

    /// The normalised address, or a 400 naming `field`.
    public static func validated(_ raw: String, field: String = "email") throws(APIError) -> String {
        let email = normalise(raw)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64,
            parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
            !email.contains(where: { $0.isWhitespace || $0.isNewline })
        else {
            throw APIError.invalidField(field, "'\(raw.prefix(80))' is not a valid email address.")
        }
        return email
    }
}
