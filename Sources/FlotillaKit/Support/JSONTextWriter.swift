#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A type that writes its own JSON text, for the response bodies of hot routes, where
/// `JSONEncoder`'s generic walk costs more than the rest of the request (a product list
/// spent a third of its CPU there). The text must be exactly what the kit's encoder
/// (``JSONResponse/makeEncoder()``) writes for the same value: keys sorted by their UTF-8
/// bytes, dates in whole seconds (`2026-12-07T08:14:27Z`), slashes unescaped. Each
/// conformance is tested against the encoder; ``JSONResponse/make(_:status:contentType:)``
/// picks it up.
public protocol JSONWritable: Encodable {
    /// Write the value: one ``JSONTextWriter/object(_:)``, array or value.
    func write(to json: inout JSONTextWriter)
}

/// Compact JSON text, written in order. Object members are written with the `field`
/// methods, in their keys' sorted order (checked in debug builds).
public struct JSONTextWriter {
    /// The text so far.
    public private(set) var text = ""
    /// Per open object: whether a member was written yet (and, in debug builds, the last key).
    private var levels: [(started: Bool, lastKey: String?)] = []

    public init() {}

    /// The text of `value`.
    public static func text(of value: some JSONWritable) -> String {
        var writer = JSONTextWriter()
        writer.text.reserveCapacity(4096)  // a page of a list without regrowing
        value.write(to: &writer)
        return writer.text
    }

    /// An object whose members `body` writes.
    public mutating func object(_ body: (inout JSONTextWriter) -> Void) {
        text.append("{")
        levels.append((false, nil))
        body(&self)
        levels.removeLast()
        text.append("}")
    }

    /// An array of `elements`, each written by `body`.
    public mutating func array<Elements: Sequence>(_ elements: Elements, _ body: (inout JSONTextWriter, Elements.Element) -> Void) {
        text.append("[")
        var first = true
        for element in elements {
            if !first { text.append(",") }
            first = false
            body(&self, element)
        }
        text.append("]")
    }

    /// `"key":` inside an object, after a comma when a member came before.
    private mutating func key(_ key: String) {
        precondition(!levels.isEmpty, "a field outside an object")
        let level = levels.count - 1
        assert(levels[level].lastKey.map { $0.utf8.lexicographicallyPrecedes(key.utf8) } ?? true, "fields out of sorted order: \(levels[level].lastKey!) before \(key)")
        if levels[level].started { text.append(",") }
        levels[level].started = true
        #if DEBUG
        levels[level].lastKey = key
        #endif
        JSONText.appendKey(key, to: &text)
    }

    public mutating func field(_ name: String, _ value: String) {
        key(name)
        JSONText.appendString(value, to: &text)
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        text.append(String(value))
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        text.append(value ? "true" : "false")
    }

    /// A date as the kit's encoder writes it: RFC 3339 in UTC, whole seconds.
    public mutating func field(_ name: String, _ value: Date) {
        key(name)
        text.append("\"")
        text.append(RFC3339.format(secondsSinceEpoch: Int(value.timeIntervalSince1970.rounded(.down))))
        text.append("\"")
    }

    public mutating func field(_ name: String, _ value: JSONValue) {
        key(name)
        value.appendJSON(to: &text)
    }

    public mutating func field(_ name: String, _ value: [String: JSONValue]) {
        key(name)
        JSONValue.appendObject(value, to: &text)
    }

    public mutating func field(_ name: String, _ value: some JSONWritable) {
        key(name)
        value.write(to: &self)
    }

    public mutating func field<Element: JSONWritable>(_ name: String, _ values: [Element]) {
        key(name)
        array(values) { json, element in element.write(to: &json) }
    }
}
