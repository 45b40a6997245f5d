import FlotillaKit
import FlotillaKitTesting
import Foundation
import Testing

/// The habit-tracker profile through the real gateway in front of the real auth, habits and
/// notifications binaries: register (a welcome arrives in the inbox and as an email), log in,
/// create a habit, check in seven days, read a streak of 7 and find the achievement.
@Suite("end to end: habit tracker", .serialized)
struct HabitTrackerTests {
    static let routes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../helm/flotilla/files/gateway/habit-tracker.json").standardized.path

    func json(_ reply: HTTPTestClient.Reply) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any] ?? [:]
    }

    @Test func registerCheckInAWeekAndFindTheWelcomeAndTheAchievement() async throws {
        let unique = UUID().uuidString.prefix(8).lowercased()
        let keys = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-keys-\(unique)").path
        let mail = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-mail-\(unique)").path
        // One stream namespace for the three services: events flow between them as in the fleet.
        let common = [
            "DATABASE_URL": try TestDatabase.url(), "REDIS_URL": try TestRedis.url(), "LOG_LEVEL": "warning",
            "EVENTS_STREAM_PREFIX": "e2e:\(unique):", "EVENTS_RELAY_POLL_SECONDS": "0.2", "EVENTS_READ_BLOCK_SECONDS": "0.2",
        ]
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
        let notifications = try ServiceProcess(executable: "notifications", environment: common.merging([
            "DB_SCHEMA": "e2e_notifications_\(unique)", "AUTH_SERVICE_URL": auth.baseURL, "NOTIFICATIONS_MAIL_DIR": mail,
            "NOTIFICATIONS_POLL_SECONDS": "0.1",
        ]) { $1 })
        defer { notifications.stop() }
        try await auth.waitUntilAnswering("/ready")
        try await habits.waitUntilAnswering("/ready")
        try await notifications.waitUntilAnswering("/ready")
        let gateway = try ServiceProcess(executable: "gateway", environment: [
            "REDIS_URL": try TestRedis.url(), "GATEWAY_ROUTES": Self.routes, "LOG_LEVEL": "warning",
            "AUTH_SERVICE_URL": auth.baseURL, "HABITS_SERVICE_URL": habits.baseURL, "NOTIFICATIONS_SERVICE_URL": notifications.baseURL,
            "GATEWAY_REDIS_PREFIX": "e2e:\(unique):gateway:",
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

        // The welcome: in the inbox, and as an email.
        try await waitUntil("the welcome is in the inbox") {
            try await HTTPTestClient.send("GET", base + "/notifications", headers: bearer).body.contains("Welcome to Flotilla")
        }
        try await waitUntil("the welcome email is written") { Self.mails(in: mail).contains { $0.contains("Subject: Welcome to Flotilla, Ada") } }
        #expect(Self.mails(in: mail).first { $0.contains("Welcome") }?.contains("To: ada-\(unique)@example.com") == true)

        let today = ZoneInfo.utc.localDate(at: Int64(Date().timeIntervalSince1970))
        for offset in -6...0 {
            let day = today.adding(days: offset)
            let checkIn = try await HTTPTestClient.send("PUT", base + "/habits/\(id)/check-ins/\(day)", headers: bearer + jsonHeader, body: #"{"value": 12}"#)
            #expect(checkIn.status == 201, "\(day): \(checkIn.body)")
        }
        let stats = try await HTTPTestClient.send("GET", base + "/habits/\(id)/stats", headers: bearer)
        #expect(stats.status == 200, "\(stats.body)")
        let streak = try #require(try json(stats)["streak"] as? [String: Any])
        #expect(streak["current"] as? Int == 7)
        #expect(streak["longest"] as? Int == 7)

        // Seven days in a row: an achievement, in the inbox and by email.
        try await waitUntil("the achievement is in the inbox") {
            try await HTTPTestClient.send("GET", base + "/notifications?category=achievements", headers: bearer).body.contains("7 days in a row!")
        }
        try await waitUntil("the achievement email is written") { Self.mails(in: mail).contains { $0.contains("Achievement: 7 days of Meditate") } }
        let unread = try await HTTPTestClient.send("GET", base + "/notifications/unread-count", headers: bearer)
        #expect(try json(unread)["unread"] as? Int == 2)

        // Without a token the gateway answers before habits is asked.
        #expect(try await HTTPTestClient.send("GET", base + "/habits/\(id)/stats").status == 401)
    }

    /// The `.eml` files notifications wrote to `directory`.
    static func mails(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".eml") }.compactMap { try? String(contentsOfFile: "\(directory)/\($0)", encoding: .utf8) }
    }
}
