// Stands in for TaaSCore/Contract/ScopeFingerprint.swift in the fuzzing build, which has no
// swift-crypto: the same canonical JSON form, hashed with FNV-1a (the fuzzer checks behaviour, not
// the digest).
import Foundation

public enum ScopeFingerprint {
    public static func of(_ document: JSONValue) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in CanonicalJSON.data(document) {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return "fnv1a:" + String(hash, radix: 16)
    }
}
