#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
public import HTTPTypes
public import Hummingbird
import NIOCore

/// JSON responses with the kit's encoder settings (sorted keys, ISO 8601 dates).
public enum JSONResponse {
    /// The encoder used for every JSON body the kit writes.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    /// `value` as a JSON response with `status` and `contentType`.
    public static func make(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        let data: Data
        do {
            data = try makeEncoder().encode(value)
        } catch {
            // Only non-finite doubles can fail here; report it rather than crash.
            data = Data(#"{"error":"internal_error","message":"The response could not be encoded."}"#.utf8)
            return Response(status: .internalServerError, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return response(ByteBuffer(bytes: data), status: status, contentType: contentType)
    }

    /// `value` as a JSON response, written by the value itself (the same text the encoder
    /// would write, at a fraction of the cost).
    public static func make(
        _ value: some JSONWritable,
        status: HTTPResponse.Status = .ok,
        contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        response(ByteBuffer(string: JSONTextWriter.text(of: value)), status: status, contentType: contentType)
    }

    private static func response(_ body: ByteBuffer, status: HTTPResponse.Status, contentType: String) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType, .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body)
        )
    }
}
