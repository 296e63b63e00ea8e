import Foundation
import Synchronization
import TaaSSandboxes
import Testing

/// ``ConfinedFile``, the one reader of everything a sandbox wrote or a workspace planted: regular
/// files only, no link followed anywhere on the name, no FIFO waited on, nothing past the limit.
@Suite struct ConfinedFileTests {
    /// A fresh folder, and a private folder beside it (mode 0700) holding a secret file (mode 0600),
    /// as a root-only host file would be.
    struct Folders {
        let root: URL
        let folder: URL
        let secret: URL
        let secretText = "confined-secret-\(UUID().uuidString)"

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-confined-\(UUID().uuidString)")
            folder = root.appendingPathComponent("artifacts")
            let privateFolder = root.appendingPathComponent("private")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: privateFolder, withIntermediateDirectories: true)
            chmod(privateFolder.path, 0o700)
            secret = privateFolder.appendingPathComponent("secret")
            try Data(secretText.utf8).write(to: secret)
            chmod(secret.path, 0o600)
        }

        func write(_ name: String, _ text: String) throws {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(text.utf8).write(to: url)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func code(_ body: () throws(ConfinedFileError) -> Data?) -> ConfinedFileError.Code? {
        do { _ = try body() } catch { return error.code }
        return nil
    }

    @Test func readsRegularFilesAndNothingForAMissingOne() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write("report.xml", "<testsuite/>")
        try folders.write("out/deep/layout.json", "{}")
        #expect(try ConfinedFile.read("report.xml", in: folders.folder) == Data("<testsuite/>".utf8))
        #expect(try ConfinedFile.read("out/deep/layout.json", in: folders.folder) == Data("{}".utf8))
        #expect(try ConfinedFile.read("absent.xml", in: folders.folder) == nil)
        #expect(try ConfinedFile.read("no/such/folder.xml", in: folders.folder) == nil)
        #expect(try ConfinedFile.read("x", in: folders.root.appendingPathComponent("none")) == nil)
    }

    @Test func neverFollowsALinkToAHostFile() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try FileManager.default.createSymbolicLink(
            at: folders.folder.appendingPathComponent("report.xml"),
            withDestinationURL: folders.secret
        )
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("report.xml", in: folders.folder) }
                == .link
        )
        // A link as a folder on the way: to the private folder, and to a folder of the artifacts.
        try FileManager.default.createSymbolicLink(
            at: folders.folder.appendingPathComponent("out"),
            withDestinationURL: folders.secret.deletingLastPathComponent()
        )
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("out/secret", in: folders.folder) }
                == .link
        )
        try folders.write("real/file", "x")
        try FileManager.default.createSymbolicLink(
            atPath: folders.folder.appendingPathComponent("alias").path,
            withDestinationPath: "real"
        )
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("alias/file", in: folders.folder) }
                == .link
        )
    }

    @Test func refusesFIFOsSocketsAndFoldersWithoutBlocking() throws {
        let folders = try Folders()
        defer { folders.remove() }
        let fifo = folders.folder.appendingPathComponent("report.xml").path
        #expect(mkfifo(fifo, 0o666) == 0)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("report.xml", in: folders.folder) }
                == .notRegularFile
        )
        #expect(clock.now - started < .seconds(1), "reading a FIFO with no writer must not wait for one")
        try FileManager.default.createDirectory(
            at: folders.folder.appendingPathComponent("dir"),
            withIntermediateDirectories: true
        )
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("dir", in: folders.folder) }
                == .notRegularFile
        )
        try folders.write("file", "x")
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("file/below", in: folders.folder) }
                == .notRegularFile
        )

        let socketPath = folders.folder.appendingPathComponent("agent.sock").path
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            socketPath.utf8CString.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1)))
            }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0)
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("agent.sock", in: folders.folder) }
                == .notRegularFile
        )
    }

    @Test func refusesAFileLargerThanTheLimitWithoutReadingIt() throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write("exact", String(repeating: "x", count: 100))
        #expect(try ConfinedFile.read("exact", in: folders.folder, limit: 100)?.count == 100)
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("exact", in: folders.folder, limit: 99) }
                == .tooLarge
        )
        // A 20 GiB sparse file: refused at once, from its size.
        let sparse = folders.folder.appendingPathComponent("sparse")
        let file = open(sparse.path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        #expect(file >= 0)
        #expect(ftruncate(file, 20 << 30) == 0)
        close(file)
        let clock = ContinuousClock()
        let started = clock.now
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read("sparse", in: folders.folder) }
                == .tooLarge
        )
        #expect(clock.now - started < .seconds(1))
    }

    @Test(arguments: ["", "/etc/passwd", "../private/secret", "a/../../private/secret", "./report.xml", "a//b", "a/"])
    func refusesNamesThatLeaveTheFolder(_ name: String) throws {
        let folders = try Folders()
        defer { folders.remove() }
        try folders.write("report.xml", "x")
        #expect(
            Self.code { () throws(ConfinedFileError) in try ConfinedFile.read(name, in: folders.folder) } == .badName
        )
    }

    /// The race of the security review: while the harness reads, another process swaps the file
    /// for a link to a private host file and for a FIFO, again and again. Every read gets the real
    /// file, nothing, or a refusal: never the secret, and never a wait.
    @Test func aFileSwappedForALinkOrAFIFOInALoopIsNeverFollowedNorWaitedOn() async throws {
        let folders = try Folders()
        defer { folders.remove() }
        let folder = folders.folder
        let secret = folders.secret
        let stop = StopFlag()
        let reads = 3000
        let (outcomes, leaked) = await withTaskGroup(of: (outcomes: [String: Int], leaked: Bool)?.self) { group in
            group.addTask {
                var round = 0
                while !stop.value.load(ordering: .relaxed) {
                    round += 1
                    let staged = folder.appendingPathComponent("staged").path
                    let target = folder.appendingPathComponent("report.xml").path
                    switch round % 3 {
                    case 0: _ = symlink(secret.path, staged)
                    case 1: _ = mkfifo(staged, 0o666)
                    default: _ = try? Data("<testsuite/>".utf8).write(to: URL(fileURLWithPath: staged))
                    }
                    rename(staged, target)
                }
                return nil
            }
            group.addTask {
                var outcomes: [String: Int] = [:]
                var leaked = false
                for _ in 0..<reads {
                    do throws(ConfinedFileError) {
                        let data = try ConfinedFile.read("report.xml", in: folder)
                        if let data, String(decoding: data, as: UTF8.self).contains("confined-secret") { leaked = true }
                        outcomes[data == nil ? "absent" : "read", default: 0] += 1
                    } catch {
                        outcomes[error.code.description, default: 0] += 1
                    }
                }
                stop.value.store(true, ordering: .relaxed)
                return (outcomes, leaked)
            }
            var result: (outcomes: [String: Int], leaked: Bool) = ([:], false)
            for await value in group { if let value { result = value } }
            return result
        }
        print("confined reads during the swap loop: \(outcomes.sorted { $0.key < $1.key })")
        #expect(!leaked, "the secret was read through a swapped-in link")
        #expect(outcomes.values.reduce(0, +) == reads)
        #expect(Set(outcomes.keys).isSubset(of: ["read", "absent", "link", "not-regular-file"]), "\(outcomes)")
        #expect(
            (outcomes["link"] ?? 0) + (outcomes["not-regular-file"] ?? 0) > 0,
            "the swaps were never seen: \(outcomes)"
        )
    }

    /// A flag the reader sets to stop the swapping task.
    final class StopFlag: Sendable {
        let value = Atomic<Bool>(false)
    }
}
