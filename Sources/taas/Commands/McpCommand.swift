import ArgumentParser
import Foundation
import TaaSMCP

/// `taas mcp`: the Model Context Protocol server for coding agents, over stdio.
struct McpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve the Judge to coding agents: a Model Context Protocol server over stdio.",
        discussion: """
            Speaks MCP (protocol 2025-11-25; older versions are negotiated) on standard input and output, and \
            offers the tools validate_scope (read-only), run_scope (progress notifications, structured result: \
            verdict, summary, failures with key lines, report path), get_report and list_runs. Relative paths are \
            read from the folder taas mcp was started in. Register it with an agent as the command `taas mcp`.
            See docs/mcp.md.
            """
    )

    func run() async throws {
        let server = JudgeServer(
            sandboxes: RunCommand.sandboxes,
            directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        )
        do { try await server.serve() } catch {
            throw CommandOutcome.error("taas mcp: \(error)")
        }
    }
}
