import Crypto
import Foundation

extension SHA256Digest {
    /// The digest as taas writes every content digest: `sha256:` and 64 lowercase hex digits.
    public var prefixedHex: String {
        "sha256:" + map { String(format: "%02x", $0) }.joined()
    }
}
