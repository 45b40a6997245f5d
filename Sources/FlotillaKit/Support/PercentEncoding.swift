extension String {
    /// The text's UTF-8 bytes with RFC 3986's unreserved characters (letters, digits, `-._~`)
    /// and those in `alsoKept` as they are, every other byte as `%XX` (upper-case hex): a query
    /// value, an `otpauth` label, an RFC 8187 `filename*`.
    public func percentEncoded(alsoKeeping alsoKept: String = "") -> String {
        let extra = Set(alsoKept.utf8)
        let hex = Array("0123456789ABCDEF")
        var result = ""
        for byte in utf8 {
            let unreserved = (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "-._~".utf8.contains(byte)
            if unreserved || extra.contains(byte) {
                result.append(Character(Unicode.Scalar(byte)))
            } else {
                result += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
