import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@testable import Files

/// A task deleted in `tasks` takes its attachments with it: through `task.deleted`, consumed
/// here, so they stop counting against the uploader's quota.
@Suite("files: a deleted task's attachments")
struct TaskDeletionTests {
    @Test func deletingATaskDeletesItsFilesAndFreesTheQuotaTheyUsed() async throws {
        try await FilesHarness.run(environment: ["FILES_USER_QUOTA_BYTES": "3000"]) { api in
            try await api.project("WEB")
            try await NeighbourClient(issuer: api.issuer).call(api.tasks, "POST", "/tasks", json: #"{"project": "WEB", "title": "Second task"}"#, as: "alice")
            let bytes = [UInt8](repeating: 0x61, count: 2000)
            let doomed = try #require(try await api.upload(bytes, name: "draft.txt", on: "task:WEB-1").json["id"] as? String)
            let refused = try await api.upload(bytes, name: "other.txt", on: "task:WEB-2")
            #expect(refused.status == .contentTooLarge && refused.errorCode == "quota_exceeded", "2000 of 3000 bytes are used")

            try await NeighbourClient(issuer: api.issuer).call(api.tasks, "DELETE", "/tasks/WEB-1", as: "alice")
            try await waitUntil("the deleted task's file is gone") {
                try await api.pool.query("SELECT 1 FROM files WHERE entity = 'task:WEB-1'").rows.isEmpty
            }
            #expect(try await api.count("file_versions") == 0, "its versions went with it")
            let kept = try await api.upload(bytes, name: "other.txt", on: "task:WEB-2")
            #expect(kept.status == .created, "the quota it used is free again: \(kept.text)")

            let deleted = try await api.pool.query("SELECT aggregate_id, actor FROM recorded_events WHERE event_type = 'file.deleted'").rows
            let deletedIDs = try deleted.map { try $0.decode("aggregate_id", as: String.self) }
            #expect(deletedIDs == [doomed.lowercased()], "one file.deleted")
            #expect(try deleted.first?.decode("actor", as: String?.self) == "alice", "by whoever deleted the task")
            let events = try await EventCatalogue.recorded(in: api.pool)
            let problems = try await EventCatalogue.problems(catalogue: EventCatalogue.path(ofService: "Files"), events: events, requireAll: false)
            #expect(problems.isEmpty, "\(problems)")
        }
    }
}
