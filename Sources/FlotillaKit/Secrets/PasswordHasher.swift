import Crypto
import CryptoExtras
import HTTPTypes
import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// scrypt password hashes in PHC string format (`$scrypt$ln=17,r=8,p=1$salt$hash`), so the
/// cost can be raised later: ``needsRehash(_:)`` tells login to rehash old hashes.
///
/// Hashing is deliberately slow and memory-hard (OWASP: N = 2^17, r = 8, p = 1, 128 MiB), so
/// it runs on its own threads, `maxConcurrent` at a time, and at most `maxQueued` more wait;
/// beyond that the caller gets 503 instead of queueing forever (a login flood cannot starve
/// the server or its memory).
public final class PasswordHasher: Sendable {
    /// scrypt's cost parameters.
    public struct Parameters: Sendable, Equatable {
        /// log2 of scrypt's N (CPU/memory cost).
        public var logN: Int
        public var blockSize: Int
        public var parallelism: Int

        public init(logN: Int, blockSize: Int, parallelism: Int) {
            self.logN = logN
            self.blockSize = blockSize
            self.parallelism = parallelism
        }

        var phcParameters: String { "ln=\(logN),r=\(blockSize),p=\(parallelism)" }
        var memoryBytes: Int { 128 * (1 << logN) * blockSize * parallelism }
    }

    public let parameters: Parameters
    private let busyMessage: String
    private let threads: BlockingCallPool
    private let waiting = Atomic<Int>(0)
    private let maxQueued: Int
    /// A well-formed hash with the current parameters that no password matches, verified
    /// against when the email is unknown so that an unknown account costs the same time as
    /// a wrong password.
    private let decoy: String

    /// Hash with `parameters`, `maxConcurrent` at a time with `maxQueued` more waiting; beyond
    /// that 503 `busy` with `busyMessage`.
    public init(parameters: Parameters, maxConcurrent: Int, maxQueued: Int = 64, busyMessage: String = "Too many password checks are in progress. Retry in a moment.") {
        self.busyMessage = busyMessage
        self.parameters = parameters
        self.threads = BlockingCallPool(threadCount: maxConcurrent)
        self.maxQueued = maxQueued
        self.decoy = "$scrypt$\(parameters.phcParameters)$\(Self.base64(SecureRandom.bytes(16)))$\(Self.base64(SecureRandom.bytes(32)))"
    }

    /// The PHC string for `password` with a fresh 16-byte salt.
    public func hash(_ password: String) async throws -> String {
        let parameters = parameters
        return try await run { try Self.hash(password, parameters: parameters) }
    }

    /// Whether `password` matches `phc`. A malformed hash never matches.
    public func verify(_ password: String, against phc: String) async throws -> Bool {
        try await run { Self.verify(password, against: phc) }
    }

    /// Spend the same time as a real verification, for an account that does not exist.
    public func verifyDecoy(_ password: String) async throws {
        _ = try await verify(password, against: decoy)
    }

    /// Whether `phc` was made with other parameters than the current ones.
    public func needsRehash(_ phc: String) -> Bool {
        PHCString(phc)?.parameters != parameters
    }

    public func shutdown() async {
        await threads.shutdown()
    }

    private func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        guard waiting.add(1, ordering: .relaxed).newValue <= maxQueued else {
            waiting.subtract(1, ordering: .relaxed)
            throw APIError(
                .serviceUnavailable, code: "busy", message: busyMessage,
                headers: [.retryAfter: "1"])
        }
        defer { waiting.subtract(1, ordering: .relaxed) }
        return try await threads.run(body)
    }

    static func hash(_ password: String, parameters: Parameters) throws -> String {
        let salt = SecureRandom.bytes(16)
        let derived = try derive(password, salt: salt, parameters: parameters, length: 32)
        return "$scrypt$\(parameters.phcParameters)$\(base64(salt))$\(base64(derived))"
    }

    static func verify(_ password: String, against phc: String) -> Bool {
        guard let parsed = PHCString(phc), (10...22).contains(parsed.parameters.logN),
            let derived = try? derive(password, salt: parsed.salt, parameters: parsed.parameters, length: parsed.hash.count)
        else { return false }
        return constantTimeEqual(derived, parsed.hash)
    }

    static func derive(_ password: String, salt: [UInt8], parameters: Parameters, length: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(
            from: Array(password.utf8), salt: salt, outputByteCount: length,
            rounds: 1 << parameters.logN, blockSize: parameters.blockSize, parallelism: parameters.parallelism,
            maxMemory: parameters.memoryBytes + (1 << 20))
        return key.withUnsafeBytes { Array($0) }
    }

    static func base64(_ bytes: [UInt8]) -> String {
        String(Data(bytes).base64EncodedString().filter { $0 != "=" })
    }
}

/// `a == b` in time independent of where they differ.
public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
}

/// A parsed `$scrypt$ln=..,r=..,p=..$salt$hash` string.
struct PHCString {
    let parameters: PasswordHasher.Parameters
    let salt: [UInt8]
    let hash: [UInt8]

    init?(_ text: String) {
        let fields = text.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else { return nil }
        var values = [Substring: Int]()
        for pair in fields[2].split(separator: ",") {
            let parts = pair.split(separator: "=")
            guard parts.count == 2, let value = Int(parts[1]) else { return nil }
            values[parts[0]] = value
        }
        guard let logN = values["ln"], let r = values["r"], let p = values["p"], r > 0, p > 0,
            let salt = Self.decode(fields[3]), let hash = Self.decode(fields[4]), !hash.isEmpty
        else { return nil }
        self.parameters = .init(logN: logN, blockSize: r, parallelism: p)
        self.salt = salt
        self.hash = hash
    }

    static func decode(_ text: Substring) -> [UInt8]? {
        let padded = String(text) + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map(Array.init)
    }
}
