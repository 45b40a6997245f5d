extension Character {
    /// `0` to `9` only (`isNumber` alone also accepts `٣` and `½`).
    public var isASCIIDigit: Bool { isASCII && isNumber }
}
