/// A project's key (`WEB`): 2 to 10 upper-case letters A–Z, the prefix of its task keys
/// (`WEB-142`). One rule for projects (which assigns keys) and the services that are given them.
public enum ProjectKey {
    /// Whether `text` is a valid project key.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        (2...10).contains(text.utf8.count) && text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }
}
