import FlotillaKitTesting

/// Runs a tool to completion with a clean signal state and captures its output.
///
/// Foundation's `Process` lets the child inherit this process's blocked signals; `pgbench -T`
/// then never sees its SIGALRM and runs forever. Here the child gets an empty signal mask
/// and default handlers (``CleanSpawn``).
enum ChildProcess {
    static func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        do {
            return try CleanSpawn.run(tool, arguments, environment: environment)
        } catch let error as CleanSpawn.CannotStart {
            throw BenchFailure(error.description)
        }
    }
}
