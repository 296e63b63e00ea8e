import ArgumentParser
import Foundation
import TaaSFabric

/// `taas token create|ls|revoke`: the Fabric's bearer tokens.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage the Quality Fabric's bearer tokens (only their hashes are stored).",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// The store the subcommands work on (`--data` or `--database`).
    static func store(_ options: StoreOptions) async throws -> any RunStore {
        do {
            return try await options.openStore(command: "taas token")
        } catch {
            throw CommandOutcome.error("taas token: \(error.message)")
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; it is printed alone on the last line, once.",
            discussion:
                "Roles: read (read runs and reports), submit (also submit and cancel runs, upload reports), worker, admin."
        )
        @Option(help: "A name for the token (for ls and revoke).")
        var name: String
        @Option(help: "read, submit, worker or admin.")
        var role: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            guard let role = TokenRole(rawValue: role) else {
                throw ValidationError("--role must be read, submit, worker or admin, not '\(role)'")
            }
            let store = try await TokenCommand.store(options)
            guard try await !store.tokens().contains(where: { $0.name == name }) else {
                throw CommandOutcome.error("taas token: a token named \(name) exists; revoke it first")
            }
            let (token, record) = TokenRecord.generate(name: name, role: role)
            try await store.insert(record)
            print("created \(role.rawValue) token \(name) (shown once, keep it secret):")
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ls",
            abstract: "List the tokens (names and roles)."
        )
        @OptionGroup var options: StoreOptions

        func run() async throws {
            for token in try await TokenCommand.store(options).tokens() {
                print("\(token.name)\t\(token.role.rawValue)\t\(ISO8601DateFormatter().string(from: token.createdAt))")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token by name.")
        @Argument(help: "The token's name.")
        var name: String
        @OptionGroup var options: StoreOptions

        func run() async throws {
            guard try await TokenCommand.store(options).revokeToken(named: name) else {
                throw CommandOutcome.error("taas token: no token named \(name)")
            }
            print("revoked \(name)")
        }
    }
}
