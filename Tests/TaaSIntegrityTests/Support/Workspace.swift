import Foundation
import TaaSCore

/// A temporary workspace made of files given as text, removed by `remove()`.
struct Workspace {
    let root: URL

    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("taas-integrity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, content) in files { try write(path, content) }
    }

    func write(_ path: String, _ content: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    func delete(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    /// A valid scope read from JSON text.
    static func scope(_ json: String) throws -> TestScope {
        try TestScope.parse(Data(json.utf8)).scope
    }
}
