import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The habit-tracker profile through the real gateway in front of the real auth and habits
/// binaries: register, log in, create a habit, check in three days, read a streak of 3.
@Suite("end to end: habit tracker", .serialized)
struct HabitTrackerTests {
    static let routes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../helm/flotilla/files/gateway/habit-tracker.json").standardized.path

    func json(_ reply: HTTPTestClient.Reply) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
    }

    @Test func registerCreateCheckInThreeDaysAndReadAStreakOfThree() async throws {
        let unique = UUID().uuidString.prefix(8).lowercased()
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-keys-\(unique)").path
        let common = ["DATABASE_URL": try TestDatabase.url(), "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning"]
        // A cheap password hash: this test is about the flow, and debug builds hash slowly.
        let auth = try ServiceProcess(executable: "auth", environment: common.merging([
            "DB_SCHEMA": "e2e_auth_\(unique)", "AUTH_SIGNING_KEYS_DIR": keys, "AUTH_DEV_MODE": "true",
            "AUTH_SIGNING_ALGORITHM": "es256", "AUTH_REDIS_PREFIX": "e2e:\(unique):auth:", "PASSWORD_SCRYPT_LOG_N": "10",
        ]) { $1 })
        defer { auth.stop() }
        let habits = try ServiceProcess(executable: "habits", environment: common.merging([
            "DB_SCHEMA": "e2e_habits_\(unique)", "AUTH_SERVICE_URL": auth.baseURL, "HABITS_REDIS_PREFIX": "e2e:\(unique):habits:",
        ]) { $1 })
        defer { habits.stop() }
        try await auth.waitUntilAnswering("/ready")
        try await habits.waitUntilAnswering("/ready")
        let gateway = try ServiceProcess(executable: "gateway", environment: [
            "REDIS_URL": try TestRedis.url(), "GATEWAY_ROUTES": Self.routes, "LOG_LEVEL": "warning",
            "AUTH_SERVICE_URL": auth.baseURL, "HABITS_SERVICE_URL": habits.baseURL, "GATEWAY_REDIS_PREFIX": "e2e:\(unique):gateway:",
        ])
        defer { gateway.stop() }
        try await gateway.waitUntilAnswering("/ready")
        let base = gateway.baseURL + "/api/v1"
        let jsonHeader = [("Content-Type", "application/json")]

        let account = #"{"email": "ada-\#(unique)@example.com", "password": "correct horse battery staple", "name": "Ada"}"#
        let registered = try await HTTPTestClient.send("POST", base + "/auth/register", headers: jsonHeader, body: account)
        #expect(registered.status == 201, "\(registered.body)")
        let login = try await HTTPTestClient.send(
            "POST", base + "/auth/login", headers: jsonHeader,
            body: #"{"email": "ada-\#(unique)@example.com", "password": "correct horse battery staple"}"#)
        #expect(login.status == 200, "\(login.body)")
        let token = try #require(try json(login)["access_token"] as? String)
        let bearer = [("Authorization", "Bearer \(token)")]

        let created = try await HTTPTestClient.send(
            "POST", base + "/habits", headers: bearer + jsonHeader, body: #"{"name": "Meditate", "target": 10, "unit": "minutes"}"#)
        #expect(created.status == 201, "\(created.body)")
        let id = try #require(try json(created)["id"] as? String)

        let today = ZoneInfo.utc.localDate(at: Int64(Date().timeIntervalSince1970))
        for offset in [-2, -1, 0] {
            let day = today.adding(days: offset)
            let checkIn = try await HTTPTestClient.send("PUT", base + "/habits/\(id)/check-ins/\(day)", headers: bearer + jsonHeader, body: #"{"value": 12}"#)
            #expect(checkIn.status == 201, "\(day): \(checkIn.body)")
        }
        let stats = try await HTTPTestClient.send("GET", base + "/habits/\(id)/stats", headers: bearer)
        #expect(stats.status == 200, "\(stats.body)")
        let streak = try #require(try json(stats)["streak"] as? [String: Any])
        #expect(streak["current"] as? Int == 3)
        #expect(streak["longest"] as? Int == 3)

        // Without a token the gateway answers before habits is asked.
        #expect(try await HTTPTestClient.send("GET", base + "/habits/\(id)/stats").status == 401)
    }
}
