import Crypto
import Foundation
import TaaSCore
import TaaSIntegrity
import Testing

@Suite struct ReportSignatureTests {
    static let report = """
        {
          "report_version": "1.0", "run_id": "r1", "scope_id": "s", "verdict": "fail", "duration_ms": 1200,
          "sandbox": {"kind": "jail", "settings": {"cpus": 1.50}},
          "summary": {"total": 2, "passed": 1, "failed": 1},
          "scenarios": [
            {"id": "UNIT", "verdict": "fail", "cases": [
              {"classname": "tests.test_a", "name": "test_ok", "verdict": "pass"},
              {"classname": "tests.test_a", "name": "test_broken", "verdict": "fail", "message": "assert 1 == 2"}]},
            {"id": "API", "verdict": "pass", "cases": []}
          ],
          "errors": []
        }
        """

    let key = SigningKeys.generate()

    func signed() throws -> String {
        String(decoding: try ReportSignature.sign(Data(Self.report.utf8), with: key), as: UTF8.self)
    }

    func verify(
        _ text: String,
        with publicKey: Curve25519.Signing.PublicKey? = nil
    ) throws -> ReportSignature.Verification {
        try ReportSignature.verify(Data(text.utf8), with: publicKey ?? key.publicKey)
    }

    @Test func anUntouchedSignedReportVerifies() throws {
        let text = try signed()
        let verification = try verify(text)
        #expect(verification.valid)
        #expect(verification.problems.isEmpty)
        #expect(text.contains("\"algorithm\": \"ed25519\""))
        // Numbers keep their text, so reading the file back gives what was signed.
        #expect(text.contains("1.50"))
    }

    @Test func aFlippedVerdictIsRejectedAndNamed() throws {
        let text = try signed()
        let topLevel = "\n  \"verdict\": \"fail\",\n"
        #expect(text.contains(topLevel))
        let verification = try verify(text.replacingOccurrences(of: topLevel, with: "\n  \"verdict\": \"pass\",\n"))
        #expect(!verification.valid)
        #expect(verification.problems == [#"verdict: signed "fail", now "pass""#])
    }

    @Test func aRemovedCaseIsRejectedAndNamed() throws {
        var document = try JSONParser.parse(Data(try signed().utf8)).value
        guard case .object(var members) = document, let index = members.firstIndex(where: { $0.key == "scenarios" }),
            case .array(var scenarios) = members[index].value, case .object(var unit) = scenarios[0],
            let casesIndex = unit.firstIndex(where: { $0.key == "cases" }),
            case .array(var cases) = unit[casesIndex].value
        else {
            Issue.record("unexpected report shape")
            return
        }
        cases.removeLast()
        unit[casesIndex].value = .array(cases)
        scenarios[0] = .object(unit)
        members[index].value = .array(scenarios)
        document = .object(members)
        let verification = try verify(String(decoding: PrettyJSON.data(document), as: UTF8.self))
        #expect(!verification.valid)
        #expect(verification.problems.contains("scenarios[UNIT] case [tests.test_a::test_broken]: removed"))
        #expect(verification.problems.contains("scenarios[UNIT]: changed"))
    }

    @Test func aChangedMessageIsRejected() throws {
        let verification = try verify(try signed().replacingOccurrences(of: "assert 1 == 2", with: "assert 2 == 2"))
        #expect(!verification.valid)
        #expect(verification.problems == ["scenarios[UNIT]: changed"])
    }

    @Test func anotherKeyIsRejected() throws {
        let other = SigningKeys.generate().publicKey
        let verification = try verify(try signed(), with: other)
        #expect(!verification.valid)
        #expect(verification.problems.first?.contains("signed with another key") == true)
    }

    @Test func anUnsignedReportIsRejected() throws {
        let verification = try verify(Self.report)
        #expect(verification.problems == [#"the report is not signed (it has no "signature")"#])
    }

    @Test func anEditedManifestIsRejectedToo() throws {
        let text = try signed().replacingOccurrences(of: #""verdict": "\"fail\"""#, with: #""verdict": "\"pass\"""#)
        let verification = try verify(text)
        #expect(!verification.valid)
        #expect(verification.problems == ["the signature's manifest was altered too, so what changed cannot be told"])
    }

    @Test func keysRoundTripThroughPEMFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let privateURL = folder.appendingPathComponent("key")
        let publicURL = folder.appendingPathComponent("key.pub")
        try Data(SigningKeys.pem(key).utf8).write(to: privateURL)
        try Data(SigningKeys.pem(key.publicKey).utf8).write(to: publicURL)
        #expect(try SigningKeys.readPrivateKey(at: privateURL).rawRepresentation == key.rawRepresentation)
        #expect(try SigningKeys.readPublicKey(at: publicURL).rawRepresentation == key.publicKey.rawRepresentation)
        #expect(throws: IntegrityError.self) { try SigningKeys.readPublicKey(at: privateURL) }
    }
}
