import Crypto
import Foundation

/// The identity of a scope's content: `sha256:` of its canonical JSON form.
public enum ScopeFingerprint {
    /// The fingerprint of a parsed document; unchanged by key order or whitespace.
    public static func of(_ document: JSONValue) -> String {
        SHA256.hash(data: CanonicalJSON.data(document)).prefixedHex
    }
}
