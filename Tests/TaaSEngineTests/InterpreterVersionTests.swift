import Foundation
import Testing

@testable import TaaSSandboxes

@Suite struct InterpreterVersionTests {
    /// A fake interpreter that counts how often it is started.
    func fakePython(in folder: URL, version: String) throws -> URL {
        let script = folder.appendingPathComponent("python3")
        try Data("#!/bin/sh\necho run >> \(folder.path)/runs\necho \(version)\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    func runs(_ folder: URL) -> Int {
        (try? String(contentsOf: folder.appendingPathComponent("runs"), encoding: .utf8))?.split(separator: "\n").count
            ?? 0
    }

    @Test func theVersionIsAskedOnceAndAgainWhenTheInterpreterChanges() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-python-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("cache")
        let python = try fakePython(in: folder, version: "3.11.2")
        #expect(try await InterpreterVersion.of(python.path, cacheDirectory: cache) == "3.11.2")
        #expect(try await InterpreterVersion.of(python.path, cacheDirectory: cache) == "3.11.2")
        #expect(runs(folder) == 1)
        // An upgrade writes another file (another size and modification time).
        _ = try fakePython(in: folder, version: "3.11.10")
        #expect(try await InterpreterVersion.of(python.path, cacheDirectory: cache) == "3.11.10")
        #expect(runs(folder) == 2)
    }
}

extension InterpreterVersionTests {
    @Test(arguments: [
        ("3.11.2", true), ("3.12.10", true), ("3.11", false), ("3.11.2rc1", false), ("3..2", false), ("", false),
        ("٣.١.٢", false),
    ])
    func aRememberedVersionIsThreeNumbers(text: String, valid: Bool) {
        #expect(InterpreterVersion.isVersion(text) == valid)
    }
}
