@testable import Auth
import FlotillaKit
import FlotillaKitTesting
import Foundation
import HTTPTypes
import Testing

@Suite("auth: password hashing")
struct PasswordHasherTests {
    static let fast = PasswordHasher.Parameters(logN: 10, blockSize: 8, parallelism: 1)

    @Test func hashesArePHCStringsThatVerify() async throws {
        let hasher = PasswordHasher(parameters: Self.fast, maxConcurrent: 1)
        let hash = try await hasher.hash("correct horse battery")
        #expect(hash.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(hash.split(separator: "$").count == 4)
        #expect(try await hasher.verify("correct horse battery", against: hash))
        #expect(try await !hasher.verify("correct horse batterz", against: hash))
        #expect(try await hasher.hash("correct horse battery") != hash, "a fresh salt every time")
        #expect(!hasher.needsRehash(hash))
        #expect(PasswordHasher(parameters: .init(logN: 11, blockSize: 8, parallelism: 1), maxConcurrent: 1).needsRehash(hash))
        await hasher.shutdown()
    }

    @Test(arguments: ["", "plain", "$scrypt$ln=10,r=8,p=1$$", "$scrypt$ln=99,r=8,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "$scrypt$ln=10$c2FsdA$aGFzaA"])
    func malformedHashesNeverMatch(_ stored: String) async throws {
        let hasher = PasswordHasher(parameters: Self.fast, maxConcurrent: 1)
        #expect(try await !hasher.verify("anything", against: stored))
        #expect(hasher.needsRehash(stored))
        await hasher.shutdown()
    }

    @Test func aFullQueueAnswersBusyInsteadOfWaitingForever() async throws {
        // One thread, one waiter allowed; the rest are refused at once.
        let hasher = PasswordHasher(parameters: .init(logN: 15, blockSize: 8, parallelism: 1), maxConcurrent: 1, maxQueued: 1)
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<6 {
                group.addTask {
                    do {
                        _ = try await hasher.hash("password number \(index)")
                        return "hashed"
                    } catch let error as APIError {
                        return error.code
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.contains("hashed"))
        #expect(outcomes.contains("busy"))
        #expect(Set(outcomes).isSubset(of: ["hashed", "busy"]))
        await hasher.shutdown()
    }

    @Test func loginUpgradesHashesMadeWithOlderParameters() async throws {
        let schema = "auth_rh\(UUID().uuidString.prefix(8).lowercased())"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rehash-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let key = try SigningKey.generate(kid: "rehash", algorithm: .es256)
        try key.pem.write(toFile: "\(directory)/\(key.kid).pem", atomically: true, encoding: .utf8)
        let email = AuthAPI.uniqueEmail()
        try await AuthHarness.make(keysDirectory: directory, schema: schema).run { api in
            try await api.register(email)
        }
        let stronger = try AuthHarness.make(keysDirectory: directory, environment: ["PASSWORD_SCRYPT_LOG_N": "11"], schema: schema)
        let login = try await stronger.run { api in try await api.login(email).status }
        #expect(login == .ok)
        let pool = try TestDatabase.makePool()
        let stored = try await pool.query("SELECT password_hash FROM \(schema).users WHERE email = $1", [email]).rows[0].decode("password_hash", as: String.self)
        #expect(stored.hasPrefix("$scrypt$ln=11,"))
        await pool.close()
    }
}
