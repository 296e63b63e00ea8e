import Foundation
import TaaSCore

/// Everything that can change a verdict, hashed into the verdict cache's key.
///
/// Two runs with equal keys judge the same law, the same code, in the same environment, with the
/// same `taas`; the second can be answered with the first's report.
public struct VerdictCacheKey: Sendable, Equatable {
    /// The key's parts by name (`scope_fingerprint`, `workspace_digest`, `sandbox`, …), shown by
    /// `taas cache ls`.
    public var parts: [String: String]

    public init(parts: [String: String]) {
        self.parts = parts
    }

    /// `sha256:` of the parts' canonical JSON.
    public var digest: String {
        let value = JSONValue.object(parts.map { JSONMember(key: $0.key, value: .string($0.value)) })
        return FileDigest.of(CanonicalJSON.data(value))
    }

    /// The digest without its `sha256:` prefix, for file names.
    var hex: String { String(digest.dropFirst("sha256:".count)) }
}
