import Crypto
import Foundation
import TaaSCore

/// Signs a `report.json` with Ed25519 and checks such signatures.
///
/// The signature is the report's `signature` member:
/// `{ "algorithm": "ed25519", "key_id", "manifest", "manifest_signature", "value" }`. `value` signs
/// the canonical JSON (RFC 8785-style) of the whole report with `signature.value` left out, so any
/// change to any byte of meaning breaks it; `manifest_signature` signs the manifest alone, so that
/// `verify` can still say what was changed.
public enum ReportSignature {
    /// What `verify` found.
    public struct Verification: Sendable, Equatable {
        /// `true` when the report is exactly as signed.
        public var valid: Bool
        /// What differs from the signed report, in words; empty when valid.
        public var problems: [String]
    }

    /// Returns `reportJSON` (a report file's bytes) with a `signature` member added.
    public static func sign(_ reportJSON: Data, with key: Curve25519.Signing.PrivateKey) throws(IntegrityError) -> Data
    {
        guard case .object(var members) = try parse(reportJSON).value else {
            throw IntegrityError("the report is not a JSON object")
        }
        members.removeAll { $0.key == "signature" }
        let manifest = ReportManifest(report: .object(members)).json
        let manifestSignature = try signature(of: CanonicalJSON.data(manifest), with: key)
        var signatureMembers = [
            JSONMember(key: "algorithm", value: .string("ed25519")),
            JSONMember(key: "key_id", value: .string(SigningKeys.keyID(key.publicKey))),
            JSONMember(key: "manifest", value: manifest),
            JSONMember(key: "manifest_signature", value: .string(manifestSignature)),
        ]
        members.append(JSONMember(key: "signature", value: .object(signatureMembers)))
        let value = try signature(of: CanonicalJSON.data(.object(members)), with: key)
        signatureMembers.append(JSONMember(key: "value", value: .string(value)))
        members[members.count - 1] = JSONMember(key: "signature", value: .object(signatureMembers))
        return PrettyJSON.data(.object(members))
    }

    /// Checks a signed report against a public key.
    public static func verify(
        _ reportJSON: Data,
        with key: Curve25519.Signing.PublicKey
    ) throws(IntegrityError) -> Verification {
        let parsed = try parse(reportJSON)
        guard case .object(var members) = parsed.value else {
            throw IntegrityError("the report is not a JSON object")
        }
        if let duplicate = parsed.duplicateKeys.first {
            // Readers disagree on which of two equal keys counts; a signed report never has them.
            return Verification(
                valid: false,
                problems: ["the report has the key \"\(duplicate.key)\" twice (at \(duplicate.path))"]
            )
        }
        guard let signatureIndex = members.firstIndex(where: { $0.key == "signature" }),
            case .object(var signature) = members[signatureIndex].value
        else {
            return Verification(valid: false, problems: ["the report is not signed (it has no \"signature\")"])
        }
        func field(_ name: String) -> String? {
            signature.first { $0.key == name }.flatMap { if case .string(let text) = $0.value { text } else { nil } }
        }
        let keyID = SigningKeys.keyID(key)
        if let signedBy = field("key_id"), signedBy != keyID {
            return Verification(
                valid: false,
                problems: ["the report was signed with another key (\(signedBy)), not with \(keyID)"]
            )
        }
        guard field("algorithm") == "ed25519", let value = field("value"),
            let signatureBytes = Data(base64Encoded: value)
        else {
            return Verification(valid: false, problems: ["the signature is malformed (expected an ed25519 \"value\")"])
        }
        signature.removeAll { $0.key == "value" }
        members[signatureIndex] = JSONMember(key: "signature", value: .object(signature))
        if key.isValidSignature(signatureBytes, for: CanonicalJSON.data(.object(members))) {
            return Verification(valid: true, problems: [])
        }
        // Something was edited: say what, when the manifest is still as signed.
        members.remove(at: signatureIndex)
        let current = ReportManifest(report: .object(members))
        guard let manifestValue = signature.first(where: { $0.key == "manifest" })?.value,
            let manifest = ReportManifest(json: manifestValue),
            let manifestSignature = field("manifest_signature").flatMap({ Data(base64Encoded: $0) }),
            key.isValidSignature(manifestSignature, for: CanonicalJSON.data(manifest.json))
        else {
            return Verification(
                valid: false,
                problems: ["the signature's manifest was altered too, so what changed cannot be told"]
            )
        }
        let differences = manifest.differences(from: current)
        return Verification(
            valid: false,
            problems: differences.isEmpty ? ["the signature itself was altered"] : differences
        )
    }

    private static func signature(
        of data: Data,
        with key: Curve25519.Signing.PrivateKey
    ) throws(IntegrityError) -> String {
        do { return try key.signature(for: data).base64EncodedString() } catch {
            throw IntegrityError("cannot sign: \(error)")
        }
    }

    private static func parse(
        _ data: Data
    ) throws(IntegrityError) -> (
        value: JSONValue, duplicateKeys: [(path: JSONPath, key: String, location: SourceLocation)]
    ) {
        do { return try JSONParser.parse(data) } catch {
            throw IntegrityError("the report is not valid JSON: \(error)")
        }
    }
}
