import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs a helper program (git, diff, a fixer) and collects what it printed.
enum ProcessRunner {
    struct Failure: Error { var message: String }

    /// The finished program's exit code, output (stdout and stderr interleaved into one file),
    /// and whether it was killed at its deadline.
    struct Result {
        var exitCode: Int32?
        var output: Data
        var timedOut: Bool
        var durationMS: Int
    }

    /// The environment variable that marks a program's processes.
    static let markVariable = "TAAS_HEAL_PROCESS_MARK"

    /// Sends SIGKILL to every process whose environment carries `mark`.
    static func killAll(marked mark: String) {
        let needle = Data("\(markVariable)=\(mark)".utf8)
        let own = getpid()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != own,
                let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ"),
                environment.range(of: needle) != nil
            else { continue }
            kill(pid, SIGKILL)
        }
    }

    /// Runs `program` and returns its standard output; a non-zero exit is a failure.
    static func output(_ program: String, _ arguments: [String]) throws(Failure) -> String {
        let result = try run(program, arguments, in: nil, stdin: nil, budget: 60)
        guard result.exitCode == 0 || (program.hasSuffix("diff") && result.exitCode == 1) else {
            throw Failure(
                message:
                    "\(program) exited with \(result.exitCode.map(String.init) ?? "a signal"): \(String(decoding: result.output.suffix(2000), as: UTF8.self))"
            )
        }
        return String(decoding: result.output, as: UTF8.self)
    }

    /// Runs `program` in its own session (so that it and every child can be killed together),
    /// feeding `stdin`, and kills the whole group after `budget` seconds.
    static func run(
        _ program: String,
        _ arguments: [String],
        in directory: URL?,
        stdin: Data?,
        budget: Double,
        environment: [String: String]? = nil
    ) throws(Failure) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        // --wait: setsid forks when it starts as a process group leader (as Process makes it), and
        // without --wait it would then exit 0 at once, whatever the program's exit code.
        process.arguments = ["--wait", program] + arguments
        if let directory { process.currentDirectoryURL = directory }
        // Every process the program starts inherits this mark, so that all of them can be found
        // and killed, whatever session or group they put themselves in.
        let mark = UUID().uuidString
        var marked = environment ?? ProcessInfo.processInfo.environment
        marked[markVariable] = mark
        process.environment = marked
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("taas-heal-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        guard let sink = FileHandle(forWritingAtPath: outputFile.path) else {
            throw Failure(message: "cannot create a temporary file in \(FileManager.default.temporaryDirectory.path)")
        }
        process.standardOutput = sink
        process.standardError = sink
        let input = Pipe()
        process.standardInput = input
        let started = Date()
        // Foundation's Process passes the calling thread's signal mask on to the program, and a
        // dispatch thread blocks most signals: a fixer would start deaf to SIGTERM and SIGINT. The
        // program starts with none blocked, as from a shell.
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        do { try process.run() } catch {
            pthread_sigmask(SIG_SETMASK, &previous, nil)
            throw Failure(message: "cannot start \(program): \(error.localizedDescription)")
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        // The input is written from its own thread, so a program that never reads cannot block us.
        let payload = stdin ?? Data()
        let handle = input.fileHandleForWriting
        let writer = Thread {
            // A program that ends without reading its input makes the write fail with EPIPE; the
            // SIGPIPE that comes with it would end taas itself, so this thread blocks it (a pending
            // thread-directed signal goes with the thread).
            var pipe = sigset_t()
            sigemptyset(&pipe)
            sigaddset(&pipe, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &pipe, nil)
            try? handle.write(contentsOf: payload)
            try? handle.close()
        }
        writer.start()
        let deadline = started.addingTimeInterval(budget)
        var timedOut = false
        while process.isRunning {
            if Date() >= deadline {
                timedOut = true
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                killAll(marked: mark)
                break
            }
            usleep(20_000)
        }
        // Whatever the program left behind goes too (before waiting: a child that holds on
        // to the program's descriptors would otherwise delay its end).
        killAll(marked: mark)
        process.waitUntilExit()
        killAll(marked: mark)
        try? sink.close()
        let output = FileManager.default.contents(atPath: outputFile.path) ?? Data()
        let signalled = process.terminationReason == .uncaughtSignal
        return Result(
            exitCode: timedOut || signalled ? nil : process.terminationStatus,
            output: output,
            timedOut: timedOut,
            durationMS: Int(Date().timeIntervalSince(started) * 1000)
        )
    }
}
