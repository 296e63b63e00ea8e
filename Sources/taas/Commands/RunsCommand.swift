import ArgumentParser
import Foundation
import TaaSFabric

/// `taas runs ls|show`: the run history of a Fabric.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List or show the runs of a Quality Fabric (taas serve).",
        subcommands: [List.self, Show.self]
    )

    struct ServerOptions: ParsableArguments {
        @Option(help: "The Fabric's URL.")
        var server = "http://127.0.0.1:8470"
        @Option(help: "The bearer token (default: TAAS_TOKEN).")
        var token: String?

        var client: FabricClient {
            FabricClient(server: server, token: token ?? ProcessInfo.processInfo.environment["TAAS_TOKEN"])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "The latest runs, newest first.")
        @OptionGroup var options: ServerOptions
        @Option(help: "Only this scope's runs.") var scopeId: String?
        @Option(help: "Only runs with this verdict.") var verdict: String?
        @Option(help: "How many.") var limit = 20

        func run() async throws {
            let data: Data
            do { data = try await options.client.runs(scopeID: scopeId, verdict: verdict, limit: limit) } catch {
                throw CommandOutcome.error("taas runs: \(error)")
            }
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            for run in object?["runs"] as? [[String: Any]] ?? [] {
                let verdict = (run["verdict"] as? String ?? run["status"] as? String ?? "").uppercased()
                print("\(run["run_id"] ?? "")\t\(verdict)\t\(run["scope_id"] ?? "")\t\(run["created_at"] ?? "")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One run, as JSON.")
        @Argument(help: "The run's id.") var id: String
        @OptionGroup var options: ServerOptions

        func run() async throws {
            do {
                let data = try await options.client.get("/v1/runs/\(id)")
                print(String(decoding: data, as: UTF8.self))
            } catch {
                throw CommandOutcome.error("taas runs: \(error)")
            }
        }
    }
}
