// Stands in for TaaSCore/Telemetry/TraceContext+Digest.swift in the fuzzing build, which has no
// swift-crypto: FNV-1a spread over 32 bytes (the fuzzer checks the scope reader, not span ids).
import Foundation

extension TraceContext {
    static func digest(of data: Data) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (0..<32).map { UInt8(truncatingIfNeeded: hash >> UInt64(($0 % 8) * 8)) }
    }
}
