#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Hummingbird

/// A field of a JSON body as a `PATCH` sees it: left out, set to `null`, or set to a value.
public enum Patch<Value: Sendable>: Sendable {
    case absent, clear, set(Value)

    /// The value when set.
    public var value: Value? {
        if case .set(let value) = self { return value }
        return nil
    }

    /// Whether the field was sent at all (`null` included).
    public var isPresent: Bool {
        if case .absent = self { return false }
        return true
    }

    /// Whether the field was sent as `null`.
    public var isClear: Bool {
        if case .clear = self { return true }
        return false
    }

    /// The same field with its value transformed.
    public func map<Other: Sendable>(_ transform: (Value) -> Other) -> Patch<Other> {
        switch self {
        case .absent: .absent
        case .clear: .clear
        case .set(let value): .set(transform(value))
        }
    }
}

/// Typed fields of a JSON object body that reports every bad one at once, like
/// ``QueryReader`` for query strings: read each field you accept, then call ``validate()``
/// for one 400 `validation_failed` naming each field and what was expected — including fields
/// the route does not know, so a typo (`"titel"`) is refused instead of silently ignored.
public struct JSONObjectReader: Sendable {
    public let object: [String: JSONValue]
    public private(set) var problems: [String: String] = [:]
    private var known: Set<String> = []

    public init(_ object: [String: JSONValue]) {
        self.object = object
    }

    /// The request's JSON body, which must be an object (the kit's JSON checks apply: 415,
    /// 413, duplicate keys, NUL characters).
    public init(_ request: Request, context: FlotillaRequestContext) async throws {
        let value = try await request.decodeJSON(as: JSONValue.self, context: context)
        guard case .object(let object) = value else {
            throw APIError(.badRequest, code: "invalid_json", message: "The request body must be a JSON object.")
        }
        self.init(object)
    }

    /// Whether the body has no fields at all.
    public var isEmpty: Bool { object.isEmpty }

    /// The raw field; marks it known. `required` makes absent and `null` a problem.
    public mutating func value(_ key: String, required: Bool = false) -> Patch<JSONValue> {
        known.insert(key)
        switch object[key] {
        case nil:
            if required { problems[key] = "is required" }
            return .absent
        case .null?:
            if required { problems[key] = "is required and cannot be null" }
            return .clear
        case let value?:
            return .set(value)
        }
    }

    /// A string, trimmed of surrounding white space, whose length (in characters) is in `length`.
    public mutating func string(_ key: String, required: Bool = false, length: ClosedRange<Int> = 1...200) -> Patch<String> {
        typed(key, required: required, expected: "a string") { value in
            guard case .string(let text) = value else { return nil }
            let trimmed = text.trimmed
            guard length.contains(trimmed.count) else {
                return .failure(length.lowerBound == length.upperBound
                    ? "must be \(length.lowerBound) characters"
                    : "must be \(length.lowerBound) to \(length.upperBound) characters")
            }
            return .success(trimmed)
        }
    }

    /// One of `allowed`, compared exactly.
    public mutating func choice(_ key: String, in allowed: [String], required: Bool = false) -> Patch<String> {
        typed(key, required: required, expected: "one of \(allowed.joined(separator: ", "))") { value in
            guard case .string(let text) = value, allowed.contains(text) else { return nil }
            return .success(text)
        }
    }

    public mutating func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Patch<Int> {
        typed(key, required: required, expected: "an integer from \(range.lowerBound) to \(range.upperBound)") { value in
            guard case .int(let number) = value, range.contains(number) else { return nil }
            return .success(number)
        }
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Patch<Bool> {
        typed(key, required: required, expected: "true or false") { value in
            guard case .bool(let flag) = value else { return nil }
            return .success(flag)
        }
    }

    /// A calendar date, `YYYY-MM-DD`.
    public mutating func date(_ key: String, required: Bool = false) -> Patch<LocalDate> {
        typed(key, required: required, expected: "a date such as 2026-03-31") { value in
            guard case .string(let text) = value, let date = LocalDate(text) else { return nil }
            return .success(date)
        }
    }

    /// A JSON object, passed through.
    public mutating func object(_ key: String, required: Bool = false) -> Patch<[String: JSONValue]> {
        typed(key, required: required, expected: "a JSON object") { value in
            guard case .object(let fields) = value else { return nil }
            return .success(fields)
        }
    }

    /// An array of distinct strings, each `length` long, at most `maxCount` of them (order kept).
    public mutating func strings(_ key: String, maxCount: Int, length: ClosedRange<Int> = 1...200, required: Bool = false) -> Patch<[String]> {
        typed(key, required: required, expected: "an array of up to \(maxCount) strings") { value in
            guard case .array(let items) = value, items.count <= maxCount else { return nil }
            var texts: [String] = []
            for item in items {
                guard case .string(let text) = item, length.contains(text.count) else {
                    return .failure("must hold strings of \(length.lowerBound) to \(length.upperBound) characters")
                }
                if !texts.contains(text) { texts.append(text) }
            }
            return .success(texts)
        }
    }

    /// Record a problem found by the caller's own checks (an end before its start, say).
    public mutating func record(_ key: String, _ problem: String) {
        problems[key] = problem
    }

    /// 400 `validation_failed` naming every bad or unknown field; nothing when all is well.
    public func validate() throws(APIError) {
        var all = problems
        for key in object.keys where !known.contains(key) {
            all[String(key.prefix(64))] = "is not a field this request accepts (accepted: \(known.sorted().joined(separator: ", ")))"
        }
        guard !all.isEmpty else { return }
        throw APIError.invalidFields(all)
    }

    private enum Check<Value> {
        case success(Value), failure(String)
    }

    private mutating func typed<Value: Sendable>(
        _ key: String, required: Bool, expected: String, _ convert: (JSONValue) -> Check<Value>?
    ) -> Patch<Value> {
        switch value(key, required: required) {
        case .absent: return .absent
        case .clear: return .clear
        case .set(let raw):
            switch convert(raw) {
            case .success(let value)?: return .set(value)
            case .failure(let problem)?: problems[key] = problem
            case nil: problems[key] = "must be \(expected)"
            }
            return .absent
        }
    }
}
