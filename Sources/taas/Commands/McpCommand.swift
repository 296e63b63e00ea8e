import ArgumentParser
import Foundation
import TaaSFabric
import TaaSMCP

/// `taas mcp`: the Model Context Protocol server for coding agents, over stdio.
struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Judge to coding agents: a Model Context Protocol server over stdio.",
        discussion: """
            Speaks MCP (protocol 2025-11-25; older versions are negotiated) on standard input and output, and \
            offers the tools validate_scope (read-only), run_scope (progress notifications, structured result: \
            verdict, summary, failures with key lines, report path), get_report, list_runs (from a Quality Fabric \
            with --server, else local report folders) and diagnose (the Healer's classification of a failed run). \
            Relative paths are read from the folder taas mcp was started in. Register it with an agent as the \
            command `taas mcp`.
            See docs/mcp.md.
            """
    )

    @Option(
        help: ArgumentHelp(
            "A Quality Fabric (taas serve) whose run history list_runs reads (default: TAAS_SERVER).",
            valueName: "url"
        )
    )
    var server: String?

    @Option(help: ArgumentHelp("The Fabric's bearer token (default: TAAS_TOKEN).", valueName: "token"))
    var token: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let fabric = (server ?? environment["TAAS_SERVER"]).map {
            FabricClient(server: $0, token: token ?? environment["TAAS_TOKEN"])
        }
        let server = JudgeServer(
            sandboxes: RunCommand.sandboxes,
            directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            runHistory: fabric
        )
        do { try await server.serve() } catch {
            throw CommandOutcome.error("taas mcp: \(error)")
        }
    }
}

/// The Fabric's run history is what `list_runs` reads when `taas mcp --server` names one.
extension FabricClient: RunHistory {
    public var source: String { server }
}
