#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import Hummingbird
import NIOCore

extension Request {
    /// Decode the JSON body as `type`, answering bad input with a 4xx ``APIError``:
    /// 415 `unsupported_media_type` for a non-JSON content type, 413 `payload_too_large`
    /// past `context.maxUploadSize`, 400 `invalid_json` for an empty or malformed body or a
    /// key given twice in one object, and 400 `validation_failed` naming the field for a
    /// missing, null or mistyped value or a string holding a NUL character.
    public func decodeJSON<Value: Decodable>(as type: Value.Type, context: FlotillaRequestContext) async throws -> Value {
        guard let value = try await decodeJSON(type, context: context, allowingEmptyBody: false) else {
            throw APIError(.badRequest, code: "invalid_json", message: "The request body is empty; send a JSON object.")
        }
        return value
    }

    /// ``decodeJSON(as:context:)`` for a body that may be left out: an empty body is `nil`.
    public func decodeJSONIfPresent<Value: Decodable>(as type: Value.Type, context: FlotillaRequestContext) async throws -> Value? {
        try await decodeJSON(type, context: context, allowingEmptyBody: true)
    }

    private func decodeJSON<Value: Decodable>(_ type: Value.Type, context: FlotillaRequestContext, allowingEmptyBody: Bool) async throws -> Value? {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: context.maxUploadSize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw APIError.payloadTooLarge(limit: context.maxUploadSize)
        }
        if buffer.readableBytes == 0 && allowingEmptyBody { return nil }
        if let contentType = headers[.contentType], !Self.isJSON(contentType) {
            throw APIError(
                .unsupportedMediaType, code: "unsupported_media_type",
                message: "Send the body as JSON with Content-Type: application/json (got \(contentType)).")
        }
        guard buffer.readableBytes > 0 else { return nil }
        if let finding = JSONBodyInspector.inspect(buffer.readableBytesView) { throw finding.apiError }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw Self.apiError(for: error)
        }
    }

    static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingWhitespace().lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    static func apiError(for error: DecodingError) -> APIError {
        switch error {
        case .keyNotFound(let key, let context):
            let field = fieldPath(context.codingPath + [key])
            return .invalidField(field, "The field '\(field)' is required.")
        case .valueNotFound(_, let context):
            let field = fieldPath(context.codingPath)
            return .invalidField(field, "The field '\(field)' must not be null.")
        case .typeMismatch(let expected, let context):
            let field = fieldPath(context.codingPath)
            let name = jsonTypeName(expected)
            if context.codingPath.isEmpty {
                return APIError(.badRequest, code: "invalid_json", message: "The request body must be a JSON \(name).")
            }
            return .invalidField(field, "The field '\(field)' must be \(name).", details: ["expected": .string(name)])
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return APIError(.badRequest, code: "invalid_json", message: "The request body is not valid JSON.")
        case .dataCorrupted(let context):
            let field = fieldPath(context.codingPath)
            return .invalidField(field, "The field '\(field)' is invalid: \(context.debugDescription)")
        @unknown default:
            return APIError(.badRequest, code: "invalid_json", message: "The request body could not be read as JSON.")
        }
    }

    /// `items[2].name` style path for a coding path.
    static func fieldPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "(body)" : text
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "a valid \(type)"
        }
    }
}
