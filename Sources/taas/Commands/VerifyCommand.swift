import ArgumentParser
import Foundation
import TaaSIntegrity

/// `taas verify REPORT --key PUB`: checks a signed report.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that a signed report.json is exactly as taas signed it.",
        discussion: """
            Exit codes: 0 the signature holds; 1 the report was altered or not signed by this key (what \
            differs is printed: a flipped verdict, a removed case, …); 2 the report or key cannot be read.
            """
    )

    @Argument(help: "The signed report.json.")
    var report: String

    @Option(help: "The public key (.pub) of the key the report was signed with.")
    var key: String

    func run() throws {
        let reportURL = URL(fileURLWithPath: report)
        guard let data = FileManager.default.contents(atPath: reportURL.path) else {
            throw CommandOutcome.error("taas: cannot read \(reportURL.path)")
        }
        do {
            let publicKey = try SigningKeys.readPublicKey(at: URL(fileURLWithPath: key))
            let verification = try ReportSignature.verify(data, with: publicKey)
            if verification.valid {
                print("OK: \(report) is signed by \(SigningKeys.keyID(publicKey)) and unaltered")
                return
            }
            print("ALTERED: \(report) does not match its signature")
            for problem in verification.problems { print("  - \(problem)") }
            throw CommandOutcome.checkFailed
        } catch let error as IntegrityError {
            throw CommandOutcome.error("taas: \(error.message)")
        }
    }
}
