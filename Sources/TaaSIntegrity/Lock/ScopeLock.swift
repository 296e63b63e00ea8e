import Foundation
import TaaSCore

/// A scope's lock (`SCOPE.lock.json`): the scope's fingerprint and the digest of every file of its
/// law, written by `taas lock` and verified by `taas run` before anything runs.
public struct ScopeLock: Sendable, Equatable, Codable {
    /// The version of the lock format. Version 2 adds the parsed pytest configuration entries
    /// (`FILE#SECTION (parsed)`, `#pytest-configuration:ID`); version 1 locks are still read, and
    /// report those entries as added until `taas lock` is run again.
    public static let currentVersion = 2

    /// The lock versions this taas reads.
    public static let readableVersions = 1...currentVersion

    public var lockVersion: Int
    public var scopeID: String
    public var scopeFingerprint: String
    /// The `integrity.locked` globs the files were chosen with (for people reading the lock).
    public var lockedPatterns: [String]
    public var files: [LockedFile]
    /// The test ledger: per scenario, the cases the law contains (`nil` in a lock made without
    /// one, such as a version 1 lock or `taas lock --no-ledger`: the run then skips the ledger check).
    public var ledger: TestLedger?

    enum CodingKeys: String, CodingKey {
        case lockVersion = "lock_version"
        case scopeID = "scope_id"
        case scopeFingerprint = "scope_fingerprint"
        case lockedPatterns = "locked_patterns"
        case files
        case ledger
    }

    public init(scope: TestScope, files: [LockedFile], ledger: TestLedger? = nil) {
        lockVersion = Self.currentVersion
        scopeID = scope.id
        scopeFingerprint = scope.fingerprint
        lockedPatterns = scope.integrity.locked
        self.files = files.sorted()
        self.ledger = ledger
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
        var members = [
            JSONMember(key: "lock_version", value: .number(JSONNumber(String(lockVersion)))),
            JSONMember(key: "scope_id", value: .string(scopeID)),
            JSONMember(key: "scope_fingerprint", value: .string(scopeFingerprint)),
            JSONMember(key: "locked_patterns", value: .array(lockedPatterns.map { .string($0) })),
            JSONMember(
                key: "files",
                value: .array(
                    files.map {
                        .object([
                            JSONMember(key: "path", value: .string($0.path)),
                            JSONMember(key: "digest", value: .string($0.digest)),
                        ])
                    }
                )
            ),
        ]
        if let ledger { members.append(JSONMember(key: "ledger", value: Self.json(ledger))) }
        return CanonicalJSON.data(.object(members))
    }

    private static func json(_ ledger: TestLedger) -> JSONValue {
        .object(
            ledger.scenarios.sorted { $0.key < $1.key }.map { id, scenario in
                var members = [JSONMember(key: "runner", value: .string(scenario.runner))]
                if let cases = scenario.cases {
                    members.append(
                        JSONMember(
                            key: "cases",
                            value: .array(
                                cases.map { item in
                                    .object([
                                        JSONMember(key: "id", value: .string(item.id)),
                                        JSONMember(key: "may_skip", value: .array(item.mayNotRun.map { .string($0) })),
                                    ])
                                }
                            )
                        )
                    )
                }
                if let unlisted = scenario.unlisted {
                    members.append(JSONMember(key: "not_listed", value: .string(unlisted)))
                }
                return JSONMember(key: id, value: .object(members))
            }
        )
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
            guard readableVersions.contains(lock.lockVersion) else {
                throw IntegrityError(
                    "the lock \(url.path) has lock_version \(lock.lockVersion); this taas reads versions \(readableVersions.lowerBound) to \(currentVersion). Run `taas lock` again"
                )
            }
            return lock
        } catch let error as IntegrityError {
            throw error
        } catch {
            throw IntegrityError("the lock \(url.path) is not a valid lock file (\(error)); run `taas lock` again")
        }
    }
}
