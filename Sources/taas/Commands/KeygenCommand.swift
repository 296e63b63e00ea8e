import ArgumentParser
import Crypto
import Foundation
import TaaSIntegrity

/// `taas keygen`: makes an Ed25519 key pair for signing reports.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make an Ed25519 key pair for signed reports (taas run --sign, taas verify).",
        discussion: """
            Writes NAME (the private key, mode 0600) and NAME.pub (the public key), both PEM files that \
            OpenSSL reads too. Keep the private key with whoever runs taas; give the public key to whoever \
            must trust its reports.
            """
    )

    @Option(name: .shortAndLong, help: "The private key's file; the public key goes to the same name plus .pub.")
    var output: String = "taas-signing-key"

    @Flag(help: "Replace existing key files.")
    var force = false

    func run() throws {
        let privateURL = URL(fileURLWithPath: output).standardizedFileURL
        let publicURL = URL(fileURLWithPath: output + ".pub").standardizedFileURL
        for url in [privateURL, publicURL] where FileManager.default.fileExists(atPath: url.path) && !force {
            throw CommandOutcome.error("taas: \(url.path) exists; pass --force to replace it")
        }
        let key = SigningKeys.generate()
        do {
            try? FileManager.default.removeItem(at: privateURL)
            guard
                FileManager.default.createFile(
                    atPath: privateURL.path,
                    contents: Data(SigningKeys.pem(key).utf8),
                    attributes: [.posixPermissions: 0o600]
                )
            else { throw IntegrityError("cannot create \(privateURL.path)") }
            try Data(SigningKeys.pem(key.publicKey).utf8).write(to: publicURL, options: .atomic)
        } catch {
            throw CommandOutcome.error("taas: cannot write the key files: \(error)")
        }
        print("private key: \(privateURL.path)")
        print("public key:  \(publicURL.path)")
        print("key id:      \(SigningKeys.keyID(key.publicKey))")
    }
}
