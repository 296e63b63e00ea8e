import Foundation
import TaaSCore

/// A scope's lock (`SCOPE.lock.json`): the scope's fingerprint and the digest of every file of its
/// law, written by `taas lock` and verified by `taas run` before anything runs.
public struct ScopeLock: Sendable, Equatable, Codable {
    /// The version of the lock format.
    public static let currentVersion = 1

    public var lockVersion: Int
    public var scopeID: String
    public var scopeFingerprint: String
    /// The `integrity.locked` globs the files were chosen with (for people reading the lock).
    public var lockedPatterns: [String]
    public var files: [LockedFile]

    enum CodingKeys: String, CodingKey {
        case lockVersion = "lock_version"
        case scopeID = "scope_id"
        case scopeFingerprint = "scope_fingerprint"
        case lockedPatterns = "locked_patterns"
        case files
    }

    public init(scope: TestScope, files: [LockedFile]) {
        lockVersion = Self.currentVersion
        scopeID = scope.id
        scopeFingerprint = scope.fingerprint
        lockedPatterns = scope.integrity.locked
        self.files = files.sorted()
    }

    /// Records the law of `scope` as it is now in `workspace`.
    public static func make(for scope: TestScope, workspace: URL) throws(IntegrityError) -> ScopeLock {
        ScopeLock(scope: scope, files: try LawFiles(scope: scope, workspace: workspace).collect())
    }

    /// The lock file that belongs beside a scope file: `scope.json` → `scope.lock.json`.
    public static func url(forScope scope: URL) -> URL {
        let name = scope.lastPathComponent
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        return scope.deletingLastPathComponent().appendingPathComponent(stem + ".lock.json")
    }

    /// `sha256:` of the lock's canonical JSON form; the same lock always has the same fingerprint.
    public var fingerprint: String {
        FileDigest.of(canonicalData)
    }

    private var canonicalData: Data {
        let value = JSONValue.object([
            JSONMember(key: "lock_version", value: .number(JSONNumber(String(lockVersion)))),
            JSONMember(key: "scope_id", value: .string(scopeID)),
            JSONMember(key: "scope_fingerprint", value: .string(scopeFingerprint)),
            JSONMember(key: "locked_patterns", value: .array(lockedPatterns.map { .string($0) })),
            JSONMember(
                key: "files",
                value: .array(files.map { .object([JSONMember(key: "path", value: .string($0.path)),
                                                    JSONMember(key: "digest", value: .string($0.digest))]) })),
        ])
        return CanonicalJSON.data(value)
    }

    /// The lock as a pretty JSON file.
    public func jsonData() throws(IntegrityError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            var data = try encoder.encode(self)
            data.append(0x0A)
            return data
        } catch {
            throw IntegrityError("cannot encode the lock: \(error)")
        }
    }

    /// Reads a lock file.
    public static func read(from url: URL) throws(IntegrityError) -> ScopeLock {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IntegrityError("cannot read the lock \(url.path)")
        }
        do {
            let lock = try JSONDecoder().decode(ScopeLock.self, from: data)
            guard lock.lockVersion == currentVersion else {
                throw IntegrityError(
                    "the lock \(url.path) has lock_version \(lock.lockVersion); this taas reads version \(currentVersion). Run `taas lock` again")
            }
            return lock
        } catch let error as IntegrityError {
            throw error
        } catch {
            throw IntegrityError("the lock \(url.path) is not a valid lock file (\(error)); run `taas lock` again")
        }
    }
}
