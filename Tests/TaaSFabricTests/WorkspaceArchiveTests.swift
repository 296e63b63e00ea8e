import Foundation
import TaaSFabric
import Testing

/// Hostile uploads: nothing is ever written outside the run's folder, and each refusal says why.
@Suite struct WorkspaceArchiveTests {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("taas-archive-\(UUID().uuidString)")
    var target: URL { base.appendingPathComponent("run/workspace") }

    /// Every path under `base`, to check that nothing landed beside the run's folder.
    func everything() -> [String] {
        (FileManager.default.enumerator(atPath: base.path)?.allObjects as? [String] ?? []).sorted()
    }

    func refused(_ archive: Data, limits: WorkspaceArchive.Limits = .init()) throws -> WorkspaceArchive.Refusal {
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        do {
            _ = try WorkspaceArchive(limits: limits).extract(archive, into: target)
        } catch {
            return error
        }
        throw FabricTestError("the archive was accepted")
    }

    @Test func aPlainWorkspaceIsUnpackedWithItsFoldersAndModes() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let archive = try Archives.python(
            """
            add(tar, "tests/test_a.py", b"def test_a(): pass\\n")
            add(tar, "run.sh", b"#!/bin/sh\\n")
            add(tar, "docs", kind=tarfile.DIRTYPE)
            add(tar, "link", kind=tarfile.SYMTYPE, link="tests/test_a.py")
            """
        )
        let digest = try WorkspaceArchive().extract(archive, into: target)
        #expect(digest.count == 64)
        let text = try String(contentsOf: target.appendingPathComponent("link"), encoding: .utf8)
        #expect(text == "def test_a(): pass\n")
        #expect(FileManager.default.fileExists(atPath: target.appendingPathComponent("docs").path))
    }

    @Test func pathTraversalIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let refusal = try refused(try Archives.python(#"add(tar, "../escaped.txt", b"x")"#))
        #expect(!refusal.tooLarge)
        #expect(refusal.message.contains("'../escaped.txt' leaves the workspace"))
        #expect(everything().allSatisfy { $0 == "run" })  // the run folder, empty
    }

    @Test func absolutePathsAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let refusal = try refused(try Archives.python(#"add(tar, "/tmp/taas-absolute-\#(UUID().uuidString)", b"x")"#))
        #expect(refusal.message.contains("absolute path"))
        #expect(everything().allSatisfy { $0 == "run" })  // the run folder, empty
    }

    @Test func aLinkOutAndAFileWrittenThroughItAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let outside = try refused(try Archives.python(#"add(tar, "out", kind=tarfile.SYMTYPE, link="/etc")"#))
        #expect(outside.message.contains("the link 'out' points outside the workspace ('/etc')"))
        let up = try refused(try Archives.python(#"add(tar, "a/up", kind=tarfile.SYMTYPE, link="../../..")"#))
        #expect(up.message.contains("points outside"))
        // A link inside, then a file written through it.
        let through = try refused(
            try Archives.python(
                """
                add(tar, "sub", kind=tarfile.DIRTYPE)
                add(tar, "inner", kind=tarfile.SYMTYPE, link="sub")
                add(tar, "inner/file.txt", b"x")
                """
            )
        )
        #expect(through.message.contains("passes through a link"))
        // Two links that are each inside when read alone, but lead out together.
        let chained = try refused(
            try Archives.python(
                """
                add(tar, "deep", kind=tarfile.SYMTYPE, link=".")
                add(tar, "escape", kind=tarfile.SYMTYPE, link="deep/..")
                """
            )
        )
        #expect(chained.message.contains("outside"))
        #expect(everything().allSatisfy { $0 == "run" })  // the run folder, empty
        let hard = try refused(try Archives.python(#"add(tar, "h", kind=tarfile.LNKTYPE, link="/etc/passwd")"#))
        #expect(hard.message.contains("hard link"))
    }

    @Test func aGzipBombIsRefusedBeforeItExpands() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        // 64 MiB of zeros: about 64 KiB compressed.
        let archive = try Archives.python(#"add(tar, "zeros", bytes(64 << 20))"#)
        #expect(archive.count < 1 << 20)
        let refusal = try refused(archive)
        #expect(refusal.tooLarge)
        #expect(refusal.message.contains("expands past"))
        #expect(everything().allSatisfy { $0 == "run" })  // the run folder, empty
    }

    @Test func oneHundredThousandTinyFilesAreRefused() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let archive = try Archives.python(
            """
            for index in range(100000):
                add(tar, "f/%d" % index, b"")
            """
        )
        let refusal = try refused(archive, limits: .init(maxExpansionRatio: 10_000))
        #expect(refusal.tooLarge)
        #expect(refusal.message.contains("more than 20000 entries"))
        #expect(everything().allSatisfy { $0 == "run" })  // the run folder, empty
    }

    @Test func somethingThatIsNotAGzipTarIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: base) }
        let refusal = try refused(Data("just some text, long enough to be looked at".utf8))
        #expect(refusal.message.contains("not a gzip-compressed tar archive"))
    }
}
