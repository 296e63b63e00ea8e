import Foundation

/// Finding and reading a scope's file, with every problem in words (never a Foundation error code).
public enum ScopeFile {
    /// The names looked for in a folder given as the scope, in order.
    public static let defaultNames = ["scope.json", "scope.yaml", "scope.yml"]

    /// The languages a scope may be written in.
    public enum Format: String, Sendable {
        case json = "JSON"
        case yaml = "YAML"
    }

    /// The scope file `url` names: the file itself, or the first of ``defaultNames`` in a folder.
    /// - Throws: ``ScopeFileError`` when there is no such file, or a folder holds no scope.
    public static func locate(_ url: URL) throws(ScopeFileError) -> URL {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            let parent = url.deletingLastPathComponent().path
            let reason =
                FileManager.default.fileExists(atPath: parent)
                ? "there is no such file" : "there is no such file (nor the folder \(parent))"
            throw ScopeFileError(url.path, .missing, reason + "; check the path, or write one with `taas init`")
        }
        guard isFolder.boolValue else { return url }
        for name in defaultNames {
            let candidate = url.appendingPathComponent(name)
            var candidateIsFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &candidateIsFolder),
                !candidateIsFolder.boolValue
            {
                return candidate
            }
        }
        throw ScopeFileError(
            url.path,
            .folder,
            "it is a folder with no \(defaultNames.joined(separator: ", ")) in it; give the scope file itself, "
                + "or write a starter scope with `taas init \(url.path)`"
        )
    }

    /// The bytes of the scope file `url`.
    /// - Throws: ``ScopeFileError`` saying why it cannot be read (permissions, a special file). What
    ///   JSON holds is the JSON parser's to judge (with a path and a position); YAML is checked in
    ///   ``TestScope/load(from:runners:yaml:)``.
    public static func contents(of url: URL) throws(ScopeFileError) -> Data {
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw ScopeFileError(
                url.path,
                .unreadable,
                "permission denied: taas may not read it (check its permissions)"
            )
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular, type != .typeSymbolicLink {
            throw ScopeFileError(url.path, .unreadable, "it is not a regular file")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ScopeFileError(url.path, .unreadable, "it could not be read (an I/O error)")
        }
        return data
    }

    /// The language of a scope file: by its extension (`.json`, `.yaml`, `.yml`), else by its first
    /// character (`{` or `[` is JSON, anything else is read as YAML).
    public static func format(of url: URL, data: Data) -> Format {
        switch url.pathExtension.lowercased() {
        case "json": return .json
        case "yaml", "yml": return .yaml
        default:
            let first = data.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
            return first == UInt8(ascii: "{") || first == UInt8(ascii: "[") ? .json : .yaml
        }
    }
}

/// A scope file that could not be read at all: missing, a folder with no scope, unreadable, or not
/// a JSON or YAML document.
public struct ScopeFileError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem it is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// There is no such file.
        public static let missing = Code("missing")
        /// The path is a folder with no scope file in it.
        public static let folder = Code("folder")
        /// The file exists but cannot be read.
        public static let unreadable = Code("unreadable")
        /// The file is not text.
        public static let notText = Code("not-text")
        /// The file is in a language this reader does not read.
        public static let unsupported = Code("unsupported")
    }

    /// The file (or folder) given.
    public var path: String
    public var code: Code
    /// Why it cannot be read, in words, with what to do about it.
    public var reason: String

    public init(_ path: String, _ code: Code, _ reason: String) {
        self.path = path
        self.code = code
        self.reason = reason
    }

    public var description: String { "cannot read the scope file \(path): \(reason)" }
}
