import FlotillaKit
import HTTPTypes

/// How a failed upstream call is answered: never a hang, always the error envelope.
enum UpstreamFailure {
    static func apiError(for error: HTTPClientError, upstream: String) -> APIError {
        switch error.kind {
        case .connectFailed, .circuitOpen, .bulkheadFull:
            return APIError(
                .serviceUnavailable, code: "upstream_unavailable",
                message: "The \(upstream) service is unavailable right now; retry shortly.",
                details: ["upstream": .string(upstream), "reason": .string(error.kind.rawValue)], headers: [.retryAfter: "1"])
        case .timeout:
            return APIError(
                .gatewayTimeout, code: "gateway_timeout", message: "The \(upstream) service did not answer in time.",
                details: ["upstream": .string(upstream)])
        default:
            return APIError(
                .badGateway, code: "bad_gateway", message: "The \(upstream) service could not be reached or sent a bad response.",
                details: ["upstream": .string(upstream), "reason": .string(error.kind.rawValue)])
        }
    }
}
