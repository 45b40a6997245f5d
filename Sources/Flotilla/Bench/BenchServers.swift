import FlotillaKit
import Foundation

/// The servers the benchmarks run as child processes: the release gateway and nginx, each
/// logging nowhere (as a benchmark would) and stopped when the run ends.
enum BenchServers {
    static func startGateway(port: Int, upstreamURL: String, redisURL: String, directory: URL) throws -> Process {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("gateway")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BenchFailure("no gateway binary at \(binary.path); build it with: swift build -c release --product gateway")
        }
        let table = directory.appendingPathComponent("routes.json")
        try """
            {"upstreams": {"bench": {"url": "\(upstreamURL)"}},
             "rate_limits": {"default": {"per_client_per_minute": 100000000, "per_principal_per_minute": 100000000}},
             "routes": [{"prefix": "/api/v1/small", "upstream": "bench", "rewrite": "/small", "auth": "required"}]}
            """.write(to: table, atomically: true, encoding: .utf8)
        return try spawn(binary.path, [], environment: [
            "PORT": String(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warning", "GATEWAY_ROUTES": table.path,
            "REDIS_URL": redisURL, "AUTH_SERVICE_URL": upstreamURL, "GATEWAY_REDIS_PREFIX": "bench:\(UUID().uuidString.prefix(8)):",
        ])
    }

    /// nginx proxying `127.0.0.1:port` to the upstream on `upstreamPort` (keep-alive pool).
    static func startNginx(port: Int, upstreamPort: Int, directory: URL) throws -> Process {
        try startNginx(directory: directory, http: """
              upstream bench { server 127.0.0.1:\(upstreamPort); keepalive 128; }
              server {
                listen 127.0.0.1:\(port);
                location / { proxy_pass http://bench; proxy_http_version 1.1; proxy_set_header Connection ""; }
              }
            """)
    }

    /// nginx (no access log, one worker per core) with `http` inside its `http { }` block.
    static func startNginx(directory: URL, http: String) throws -> Process {
        let prefix = directory.path
        let configuration = directory.appendingPathComponent("nginx.conf")
        try """
            daemon off;
            worker_processes auto;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/error.log warn;
            events { worker_connections 4096; }
            http {
              access_log off;
              client_body_temp_path \(prefix)/body;
              proxy_temp_path \(prefix)/proxy;
              fastcgi_temp_path \(prefix)/fastcgi;
              uwsgi_temp_path \(prefix)/uwsgi;
              scgi_temp_path \(prefix)/scgi;
            \(http)
            }
            """.write(to: configuration, atomically: true, encoding: .utf8)
        let nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let nginx else { throw BenchFailure("nginx is not installed: apt-get install --no-install-recommends nginx-light") }
        return try spawn(nginx, ["-p", prefix, "-c", configuration.path], environment: [:])
    }

    static func spawn(_ path: String, _ arguments: [String], environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Poll `url` until it answers 2xx (nginx has no `/live`), for at most `ceiling`.
    static func waitForAnswer(_ url: String, ceiling: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + ceiling
        while ContinuousClock.now < deadline {
            if (try? HealthcheckProbe(url: url, timeoutSeconds: 1).run()) != nil { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw BenchFailure("\(url) did not answer within \(ceiling)")
    }
}
