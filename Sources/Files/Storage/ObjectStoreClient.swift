import FlotillaKit
import HTTPTypes
import Logging
import NIOCore
import _NIOFileSystem

/// The few calls of the S3 protocol the files service makes (PUT, GET, HEAD, DELETE of one
/// object), over the kit's libcurl client (an ``Upstream`` named `object-store`: breaker,
/// bulkhead, metrics), every one signed with SigV4. Objects are addressed path-style under
/// `<endpoint>/<bucket>/`. Bodies stream both ways; an upload's `x-amz-content-sha256` is its
/// real hash, so the store verifies the bytes.
struct ObjectStoreClient: Sendable {
    let upstream: Upstream
    /// How long a transfer may move no byte.
    let idleTimeout: Duration
    let logger: Logger

    /// Upload the local file `path` (`size` bytes, SHA-256 `sha256`) as `key`.
    func put(_ key: String, fromFile path: String, size: Int64, sha256: String) async throws {
        try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
            let response = try await upstream.stream(
                "PUT", "/" + key, headers: [("x-amz-content-sha256", sha256), ("Content-Type", "application/octet-stream")],
                body: handle.readChunks(chunkLength: .kibibytes(128)), length: size, idleTimeout: idleTimeout)
            let body = try await Self.collect(response.body, upTo: 64 * 1024)
            guard response.status == 200 else { throw failure("PUT", key, response.status, body) }
        }
    }

    /// Object `key` (bytes `range`, when given), streaming; 404 is ``StorageFailure/missing``.
    func get(_ key: String, range: ClosedRange<Int64>? = nil) async throws -> HTTPClientStreamingResponse {
        var headers = [("x-amz-content-sha256", AWSSigV4.emptyPayloadHash)]
        if let range { headers.append(("Range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        let response = try await upstream.stream(
            "GET", "/" + key, headers: headers, body: nil as HTTPClientStreamingResponse.Body?, length: nil, idleTimeout: idleTimeout)
        guard response.status == 200 || response.status == 206 else {
            let body = try await Self.collect(response.body, upTo: 64 * 1024)
            throw response.status == 404 ? StorageFailure.missing(key) : failure("GET", key, response.status, body)
        }
        return response
    }

    /// The size of object `key`, nil when there is none.
    func size(of key: String) async throws -> Int64? {
        let response = try await call("HEAD", "/" + key)
        switch response.status {
        case 200: return response.header("Content-Length").flatMap { Int64($0) } ?? 0
        case 404: return nil
        default: throw failure("HEAD", key, response.status, response.body)
        }
    }

    /// Delete object `key` (absent already is fine).
    func delete(_ key: String) async throws {
        let response = try await call("DELETE", "/" + key)
        guard [200, 204, 404].contains(response.status) else { throw failure("DELETE", key, response.status, response.body) }
    }

    private func call(_ method: String, _ path: String) async throws -> HTTPClientResponse {
        do {
            return try await upstream.execute(method, path, headers: [("x-amz-content-sha256", AWSSigV4.emptyPayloadHash)])
        } catch let error as HTTPClientError {
            throw StorageFailure.unavailable("\(method) \(path): \(error)")
        }
    }

    private func failure(_ operation: String, _ key: String, _ status: Int, _ body: [UInt8]) -> StorageFailure {
        let code = Self.errorCode(in: String(decoding: body, as: UTF8.self)) ?? "HTTP \(status)"
        logger.error("object store refused a call", metadata: ["operation": "\(operation)", "key": "\(key)", "status": "\(status)", "error.code": "\(code)"])
        return .unavailable("\(operation) \(key): \(code)")
    }

    /// The `<Code>` of an S3 error document (`SignatureDoesNotMatch`, `NoSuchBucket`).
    static func errorCode(in xml: String) -> String? {
        guard let open = xml.firstRange(of: "<Code>"), let close = xml[open.upperBound...].firstRange(of: "</Code>") else { return nil }
        return String(xml[open.upperBound..<close.lowerBound])
    }

    static func collect(_ body: HTTPClientStreamingResponse.Body, upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        for try await chunk in body where bytes.count < limit { bytes += chunk.readableBytesView }
        return bytes
    }
}

/// Why the object store could not do what was asked.
enum StorageFailure: Error, CustomStringConvertible {
    /// The object is not there.
    case missing(String)
    /// The store failed or refused (down, an error status, bad credentials).
    case unavailable(String)

    var description: String {
        switch self {
        case .missing(let key): "object \(key) is missing"
        case .unavailable(let reason): "object store unavailable: \(reason)"
        }
    }

    /// The answer a client gets: 503 (try again) while the store fails; 500 for content it lost.
    var apiError: APIError {
        switch self {
        case .missing:
            APIError(.internalServerError, code: "content_missing", message: "The file's content is missing from the store; an operator must restore it.")
        case .unavailable:
            APIError(.serviceUnavailable, code: "storage_unavailable", message: "The file store is not answering; try again shortly.")
        }
    }
}
