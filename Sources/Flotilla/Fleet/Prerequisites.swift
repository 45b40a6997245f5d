import Foundation

/// The programs `flotilla up` needs, found before anything starts, with install advice
/// instead of an obscure failure later.
struct Prerequisites: Sendable {
    /// Directory with `initdb`, `pg_ctl` and `postgres`.
    let postgresBin: URL
    /// `redis-server`.
    let redisServer: URL

    static let installAdvice = "Install them with: sudo apt-get install --no-install-recommends postgresql redis-server (or run scripts/setup)"

    /// Finds the newest PostgreSQL in `/usr/lib/postgresql/*/bin` or on `PATH`, and
    /// `redis-server` on `PATH`; throws naming everything missing.
    static func find(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "") throws(FleetFailure) -> Prerequisites {
        let searchPath = path.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let debianBins = versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
            .map { URL(fileURLWithPath: "/usr/lib/postgresql/\($0)/bin") }
        let postgres = (debianBins + searchPath).first { directory in
            ["initdb", "pg_ctl", "postgres"].allSatisfy { FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path) }
        }
        let redis = searchPath.map { $0.appendingPathComponent("redis-server") }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        var missing = [String]()
        if postgres == nil { missing.append("PostgreSQL server binaries (initdb, pg_ctl, postgres)") }
        if redis == nil { missing.append("redis-server") }
        guard let postgres, let redis else {
            throw FleetFailure("Missing \(missing.joined(separator: " and ")). \(installAdvice)")
        }
        return Prerequisites(postgresBin: postgres, redisServer: redis)
    }
}

/// Why `flotilla` could not do what was asked, said so a person can act on it.
struct FleetFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
