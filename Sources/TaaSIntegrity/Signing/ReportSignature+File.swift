import Crypto
import Foundation

extension ReportSignature {
    /// Signs the report file at `url` in place (atomically) with `key`.
    /// - Returns: the id of the key, as `taas verify` prints it.
    /// - Throws: ``IntegrityError`` when the file cannot be read, signed or written back.
    @discardableResult
    public static func signFile(at url: URL, with key: Curve25519.Signing.PrivateKey) throws(IntegrityError) -> String {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IntegrityError("cannot sign \(url.path): \(error.localizedDescription)")
        }
        let signed = try sign(data, with: key)
        do { try signed.write(to: url, options: .atomic) } catch {
            throw IntegrityError("cannot sign \(url.path): \(error.localizedDescription)")
        }
        return SigningKeys.keyID(key.publicKey)
    }
}
