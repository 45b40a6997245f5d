import FlotillaKit
import HTTPTypes

/// 413 answers of uploads: the configured size limit, or a quota with what is left of it.
enum UploadLimit {
    static func tooLarge(limit: Int64) -> APIError {
        APIError(
            .contentTooLarge, code: "payload_too_large", message: "The upload is larger than the limit of \(limit) bytes.",
            details: ["limit_bytes": .int(Int(limit))])
    }

    static func quota(_ scope: String, limit: Int64, used: Int64) -> APIError {
        let remaining = max(0, limit - used)
        return APIError(
            .contentTooLarge, code: "quota_exceeded",
            message: "The \(scope) quota of \(limit) bytes would be exceeded; \(remaining) bytes are left. Delete files or old versions to make room.",
            details: ["scope": .string(scope), "limit_bytes": .int(Int(limit)), "remaining_bytes": .int(Int(remaining))])
    }
}
