#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Hummingbird

/// Typed query parameters that reports every bad one at once: read what you need, then
/// call ``validate()`` for a single 400 `invalid_query` whose `details.problems` names each
/// parameter, the value and what was expected.
public struct QueryReader: Sendable {
    let parameters: Parameters
    public private(set) var problems: [String: String] = [:]

    public init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    /// The raw value, or `nil` when absent or empty.
    public func raw(_ name: String) -> String? {
        guard let value = parameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    public mutating func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) -> Int {
        guard let text = raw(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            problems[name] = "'\(text.prefix(40))' is not an integer from \(range.lowerBound) to \(range.upperBound)"
            return defaultValue
        }
        return value
    }

    public mutating func money(_ name: String) -> Money? {
        guard let text = raw(name) else { return nil }
        guard let value = Money(text), value >= .zero else {
            problems[name] = "'\(text.prefix(40))' is not a non-negative amount such as 100 or 99.50"
            return nil
        }
        return value
    }

    public mutating func string(_ name: String, maxLength: Int = 200) -> String? {
        guard let text = raw(name) else { return nil }
        guard text.count <= maxLength else {
            problems[name] = "is longer than \(maxLength) characters"
            return nil
        }
        return text
    }

    /// A UUID, lower-cased (for `uuid` columns), or `nil` when absent; `what` names it in the
    /// problem ("a label id").
    public mutating func uuid(_ name: String, what: String) -> String? {
        guard let text = raw(name) else { return nil }
        guard let id = UUID(uuidString: text) else {
            problems[name] = "'\(text.prefix(40))' is not \(what) (a UUID)"
            return nil
        }
        return id.lowercasedString
    }

    /// One of `allowed` (compared exactly), or `nil` when absent.
    public mutating func choice(_ name: String, in allowed: [String]) -> String? {
        guard let text = raw(name) else { return nil }
        guard allowed.contains(text) else {
            problems[name] = "'\(text.prefix(40))' is not one of \(allowed.joined(separator: ", "))"
            return nil
        }
        return text
    }

    /// Record a problem found by the caller's own checks (e.g. `minPrice` above `maxPrice`).
    public mutating func record(_ name: String, _ problem: String) {
        problems[name] = problem
    }

    public func validate() throws(APIError) {
        guard !problems.isEmpty else { return }
        let names = problems.keys.sorted()
        throw APIError(
            .badRequest, code: "invalid_query",
            message: "Invalid query parameter\(names.count == 1 ? "" : "s"): " + names.map { "\($0) \(problems[$0]!)" }.joined(separator: "; ") + ".",
            details: ["problems": .object(problems.mapValues { .string($0) })])
    }
}

/// `limit`/`offset` paging, read with ``QueryReader``.
public struct PageRequest: Sendable, Equatable {
    public let limit: Int
    public let offset: Int

    public init(limit: Int, offset: Int) {
        self.limit = limit
        self.offset = offset
    }

    public init(_ query: inout QueryReader, defaultLimit: Int = 10, maxLimit: Int = 100) {
        self.init(
            limit: query.integer("limit", default: defaultLimit, in: 1...maxLimit),
            offset: query.integer("offset", default: 0, in: 0...1_000_000))
    }

    /// The `pagination` object of a list answer.
    public func info(total: Int) -> PageInfo {
        PageInfo(limit: limit, offset: offset, total: total, hasMore: offset + limit < total)
    }
}

/// `pagination: {limit, offset, total, hasMore}` in list answers.
public struct PageInfo: Codable, Sendable, Equatable, JSONWritable {
    public let limit: Int
    public let offset: Int
    public let total: Int
    public let hasMore: Bool

    public init(limit: Int, offset: Int, total: Int, hasMore: Bool) {
        self.limit = limit
        self.offset = offset
        self.total = total
        self.hasMore = hasMore
    }

    public func write(to json: inout JSONTextWriter) {
        json.object { json in
            json.field("hasMore", hasMore)
            json.field("limit", limit)
            json.field("offset", offset)
            json.field("total", total)
        }
    }
}
