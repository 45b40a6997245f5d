import FlotillaKit
import HTTPTypes
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Checks with the tasks service, over the kit's libcurl upstream with the caller's own
/// token, that a task exists, that the caller may see it, and that it belongs to the entry's
/// project. The tasks service down is 503 `upstream_unavailable` (an entry without a task
/// can still be logged).
struct TaskChecker: Sendable {
    let upstream: Upstream

    /// 400 naming `task` when `reference` is not a task of project `key` the caller can see.
    func requireTask(_ reference: String, inProject key: String, authorization: String?) async throws {
        let response: HTTPClientResponse
        do {
            response = try await upstream.execute(
                "GET", "/tasks/\(reference)", headers: authorization.map { [("Authorization", $0)] } ?? [], timeout: .seconds(3))
        } catch {
            throw APIError(
                .serviceUnavailable, code: "upstream_unavailable",
                message: "The tasks service cannot confirm task \(reference) right now; retry shortly, or log the time without a task.",
                headers: [.retryAfter: "2"])
        }
        switch response.status {
        case 200:
            let task = try? JSONDecoder().decode(TaskSummary.self, from: Data(response.body))
            guard task?.projectKey == key else { throw APIError.invalidField("task", "Task \(reference) is not in project \(key).") }
        case 404, 403:
            throw APIError.invalidField("task", "There is no task \(reference) you can see.")
        default:
            throw APIError(
                .serviceUnavailable, code: "upstream_unavailable", message: "The tasks service answered \(response.status) about \(reference); retry shortly.",
                headers: [.retryAfter: "2"])
        }
    }

    private struct TaskSummary: Decodable {
        let projectKey: String?

        enum CodingKeys: String, CodingKey {
            case projectKey = "project_key"
        }
    }
}
