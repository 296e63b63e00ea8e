import Crypto
import Foundation

extension SHA256Digest {
    /// The digest as taas writes every content digest: `sha256:` and 64 lowercase hex digits.
    public var prefixedHex: String {
        "sha256:" + hexText
    }
}

extension Sequence<UInt8> {
    /// The bytes as lowercase hex digits, two per byte. (`String(format: "%02x")` costs about a
    /// microsecond a byte, which adds up over a workspace's files.)
    public var hexText: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
