import Crypto
import Foundation

/// Ed25519 key files in the standard PEM forms (PKCS #8 private key, SubjectPublicKeyInfo public
/// key), so that OpenSSL and other tools read them too.
public enum SigningKeys {
    // The fixed DER prefixes of an Ed25519 key (RFC 8410): the 32 raw key bytes follow them.
    private static let privatePrefix: [UInt8] = [
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    private static let publicPrefix: [UInt8] = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// A new private key.
    public static func generate() -> Curve25519.Signing.PrivateKey {
        Curve25519.Signing.PrivateKey()
    }

    /// The private key as a `PRIVATE KEY` PEM document.
    public static func pem(_ key: Curve25519.Signing.PrivateKey) -> String {
        pem(label: "PRIVATE KEY", der: privatePrefix + key.rawRepresentation)
    }

    /// The public key as a `PUBLIC KEY` PEM document.
    public static func pem(_ key: Curve25519.Signing.PublicKey) -> String {
        pem(label: "PUBLIC KEY", der: publicPrefix + key.rawRepresentation)
    }

    /// `sha256:` of the raw public key: a short name for a key in reports and messages.
    public static func keyID(_ key: Curve25519.Signing.PublicKey) -> String {
        FileDigest.of(key.rawRepresentation)
    }

    /// Reads a private key file made by `taas keygen` (or `openssl genpkey -algorithm ed25519`).
    public static func readPrivateKey(at url: URL) throws(IntegrityError) -> Curve25519.Signing.PrivateKey {
        let raw = try rawKey(at: url, label: "PRIVATE KEY", prefix: privatePrefix)
        do { return try Curve25519.Signing.PrivateKey(rawRepresentation: raw) } catch {
            throw IntegrityError("\(url.path) does not hold a valid Ed25519 private key")
        }
    }

    /// Reads a public key file made by `taas keygen` (or `openssl pkey -pubout`).
    public static func readPublicKey(at url: URL) throws(IntegrityError) -> Curve25519.Signing.PublicKey {
        let raw = try rawKey(at: url, label: "PUBLIC KEY", prefix: publicPrefix)
        do { return try Curve25519.Signing.PublicKey(rawRepresentation: raw) } catch {
            throw IntegrityError("\(url.path) does not hold a valid Ed25519 public key")
        }
    }

    private static func pem(label: String, der: [UInt8]) -> String {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
    }

    private static func rawKey(at url: URL, label: String, prefix: [UInt8]) throws(IntegrityError) -> Data {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IntegrityError("cannot read the key file \(url.path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let begin = text.range(of: "-----BEGIN \(label)-----"),
            let end = text.range(of: "-----END \(label)-----", range: begin.upperBound..<text.endIndex)
        else {
            let other =
                label == "PUBLIC KEY" ? "a private key: pass the .pub file" : "a public key: pass the private key"
            let hint = text.contains("-----BEGIN") ? " (it looks like \(other))" : ""
            throw IntegrityError("\(url.path) is not a PEM \(label.lowercased()) file\(hint)")
        }
        let base64 = text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: String(base64)), der.count == prefix.count + 32, der.starts(with: prefix)
        else {
            throw IntegrityError(
                "\(url.path) does not hold an Ed25519 \(label.lowercased()) (other algorithms are not supported)"
            )
        }
        return der.dropFirst(prefix.count)
    }
}
