import Crypto
import Foundation

extension TraceContext {
    /// SHA-256 of `data`: the span ids' source (in a file of its own, so that the fuzzing build, which
    /// has no swift-crypto, can stand in for it).
    static func digest(of data: Data) -> [UInt8] {
        Array(SHA256.hash(data: data))
    }
}
