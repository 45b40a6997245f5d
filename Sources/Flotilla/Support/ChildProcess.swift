import FlotillaKitTesting
import Foundation

/// Runs a tool to completion with a clean signal state and captures its output.
///
/// Foundation's `Process` lets the child inherit this process's blocked signals; `pgbench -T`
/// then never sees its SIGALRM and runs forever. Here the child gets an empty signal mask
/// and default handlers.
enum ChildProcess {
    static func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String) {
        guard let pipe = CleanSpawn.makePipe() else { throw BenchFailure("pipe failed") }
        let pid = CleanSpawn.spawn(tool, arguments, output: (descriptor: pipe.write, closeInChild: pipe.read), environment: environment)
        close(pipe.write)
        guard let pid else {
            close(pipe.read)
            throw BenchFailure("cannot run \(tool): install it (scripts/test-deps install)")
        }
        let output = FileHandle(fileDescriptor: pipe.read, closeOnDealloc: true).readDataToEndOfFile()
        return (CleanSpawn.waitForExit(pid) ?? -1, String(decoding: output, as: UTF8.self))
    }
}
