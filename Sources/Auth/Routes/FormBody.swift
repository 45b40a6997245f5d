import FlotillaKit
import Hummingbird
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The parameters of an OAuth request body: `application/x-www-form-urlencoded` as RFC 6749
/// requires, or a flat JSON object of strings for clients that prefer JSON.
struct FormBody: Sendable {
    let values: [String: String]

    subscript(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func read(_ request: Request, context: FlotillaRequestContext) async throws -> FormBody {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        if contentType.hasPrefix("application/json") {
            return FormBody(values: try await request.decodeJSON(as: [String: String].self, context: context))
        }
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "Send the parameters as application/x-www-form-urlencoded (or JSON).")
        }
        let buffer = try await request.body.collect(upTo: context.maxUploadSize)
        let values = parse(String(buffer: buffer))
        if let field = values.first(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) })?.key {
            let name = field.split(separator: "\0", omittingEmptySubsequences: false).joined(separator: "%00")
            throw APIError.invalidField(name, "The field '\(name)' contains an encoded NUL character (%00), which cannot be stored; remove it.")
        }
        return FormBody(values: values)
    }

    /// Parse `a=1&b=two+words&c=%2F`; later duplicates are ignored.
    static func parse(_ text: String) -> [String: String] {
        var values = [String: String]()
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), values[name] == nil else { continue }
            values[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return values
    }

    static func decode(_ text: Substring) -> String? {
        var bytes = [UInt8]()
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
