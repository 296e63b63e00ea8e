import Foundation

/// Bytecode that taas compiled, kept by the digest of the source's path and content.
///
/// One store belongs to one interpreter with one set of packages (a virtualenv, or the host's
/// `python3` with what is installed for it), and its
/// ``Layout`` says what the pycs were made for. Entries are written atomically; a `.none` entry
/// records a file that does not compile, so that it is not tried on every run.
struct BytecodeStore {
    /// What the pycs of a store were made for, as the compile pass reported it.
    struct Layout: Codable, Equatable {
        /// `importlib.util.MAGIC_NUMBER`, in hex.
        var magic: String
        /// `sys.implementation.cache_tag`, such as `cpython-311`.
        var plainTag: String
        /// pytest's tag, such as `cpython-311-pytest-9.2.0`; `nil` without pytest.
        var pytestTag: String?
        /// `timestamp` when pytest's pycs carry the source's mtime and size (pytest < 9.2), which
        /// must then be those of the copy; `hash` when they carry a hash of the source.
        var pytestHeader: String?

        enum CodingKeys: String, CodingKey {
            case magic
            case plainTag = "plain_tag"
            case pytestTag = "pytest_tag"
            case pytestHeader = "pytest_header"
        }
    }

    /// What a store holds for one source file and kind.
    enum Entry: Equatable {
        /// The pyc's file in the store.
        case bytecode(URL)
        /// The compile pass could not compile it (a syntax error, say).
        case uncompilable
        case missing
    }

    var folder: URL

    private var layoutFile: URL { folder.appendingPathComponent("layout.json") }

    func layout() -> Layout? {
        guard let data = FileManager.default.contents(atPath: layoutFile.path) else { return nil }
        return try? JSONDecoder().decode(Layout.self, from: data)
    }

    /// Starts the store afresh when `layout` differs from the one it was made for (another
    /// interpreter or pytest in a rebuilt virtualenv).
    func adopt(_ layout: Layout) throws {
        if self.layout() == layout { return }
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try JSONEncoder().encode(layout).write(to: layoutFile, options: .atomic)
    }

    func entry(_ digest: String, _ kind: BytecodeSeeding.Kind) -> Entry {
        let pyc = file(digest, kind, "pyc")
        if access(pyc.path, R_OK) == 0 { return .bytecode(pyc) }
        if access(file(digest, kind, "none").path, F_OK) == 0 { return .uncompilable }
        return .missing
    }

    /// Keeps a pyc, read-only, and returns its file.
    func store(_ bytecode: Data, _ digest: String, _ kind: BytecodeSeeding.Kind) throws -> URL {
        let pyc = file(digest, kind, "pyc")
        try bytecode.write(to: pyc, options: .atomic)
        chmod(pyc.path, 0o444)
        return pyc
    }

    func storeUncompilable(_ digest: String, _ kind: BytecodeSeeding.Kind) throws {
        try Data().write(to: file(digest, kind, "none"), options: .atomic)
    }

    private func file(_ digest: String, _ kind: BytecodeSeeding.Kind, _ suffix: String) -> URL {
        folder.appendingPathComponent("\(digest).\(kind.rawValue).\(suffix)")
    }
}
