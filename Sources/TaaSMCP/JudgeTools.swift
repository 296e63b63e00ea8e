import Foundation
import MCP
import TaaSCore
import TaaSEngine

/// The tools `taas mcp` offers: their names, descriptions, input schemas and annotations.
///
/// The `scope` input of `validate_scope` is the contract's own JSON Schema (`taas schema`), so an
/// agent that writes a scope inline is told the contract's shape by the tool list itself.
enum JudgeTools {
    static let validateScope = "validate_scope"
    static let runScope = "run_scope"
    static let getReport = "get_report"
    static let listRuns = "list_runs"
    static let diagnose = "diagnose"

    /// Every tool, in the order they are listed.
    static func all(sandboxKinds: [String]) -> [Tool] {
        [
            Tool(
                name: validateScope,
                title: "Validate a TestScope",
                description: """
                    Check a TestScope (a JSON or YAML file, a folder with scope.json or scope.yaml, or a scope given \
                    inline as `scope`) and return every problem with its JSON path, line and column. With \
                    `workspace`, also warn about pytest targets and script files that do not exist there. Runs nothing.
                    """,
                inputSchema: validateSchema,
                annotations: .init(
                    title: "Validate a TestScope",
                    readOnlyHint: true,
                    destructiveHint: false,
                    idempotentHint: true,
                    openWorldHint: false
                )
            ),
            Tool(
                name: runScope,
                title: "Run a TestScope",
                description: """
                    Run a TestScope in a sandbox (no network; the workspace is copied, never changed) and return the \
                    verdict (pass, fail or error), the summary, the failures with their key lines, and the path of \
                    report.json. Sends progress notifications (one per scenario) when the call has a progress token. \
                    `scenarios`, `keyword`, `fail_fast` and `rerun_failed` choose what runs, as `taas run` does.
                    """,
                inputSchema: runSchema(sandboxKinds: sandboxKinds),
                annotations: .init(
                    title: "Run a TestScope",
                    readOnlyHint: false,
                    destructiveHint: false,
                    idempotentHint: false,
                    openWorldHint: false
                )
            ),
            Tool(
                name: getReport,
                title: "Read a TaaS report",
                description: """
                    Read a report.json (or the output folder that holds one) and return its verdict, summary, \
                    failures with their key lines, and every scenario's verdict.
                    """,
                inputSchema: .object([
                    "type": "object",
                    "properties": .object([
                        "report_path": .object([
                            "type": "string",
                            "description": "A report.json, or the --out folder of a run.",
                        ])
                    ]),
                    "required": .array(["report_path"]),
                    "additionalProperties": false,
                ]),
                annotations: .init(
                    title: "Read a TaaS report",
                    readOnlyHint: true,
                    destructiveHint: false,
                    idempotentHint: true,
                    openWorldHint: false
                )
            ),
            Tool(
                name: listRuns,
                title: "List earlier runs",
                description: """
                    List earlier runs, newest first, with their verdicts: from the Quality Fabric when taas mcp was \
                    started with --server (its run history), else the runs whose report.json lies in a folder or its \
                    subfolders (three levels down; the local output folders of `taas run`). `root` always looks locally.
                    """,
                inputSchema: .object([
                    "type": "object",
                    "properties": .object([
                        "root": .object([
                            "type": "string",
                            "description":
                                "Look in this local folder (default: the Fabric, else the server's working folder).",
                        ]),
                        "scope_id": .object(["type": "string", "description": "Only the runs of this scope."]),
                        "verdict": .object([
                            "type": "string", "enum": .array(["pass", "fail", "error"]),
                            "description": "Only the runs with this verdict.",
                        ]),
                        "limit": .object([
                            "type": "integer", "minimum": 1, "maximum": 1000,
                            "description": "At most this many runs (default 50).",
                        ]),
                    ]),
                    "additionalProperties": false,
                ]),
                annotations: .init(
                    title: "List earlier runs",
                    readOnlyHint: true,
                    destructiveHint: false,
                    idempotentHint: true,
                    openWorldHint: false
                )
            ),
            Tool(
                name: diagnose,
                title: "Diagnose a failed run",
                description: """
                    Classify each failed or errored case of a report (the Healer): code_broken, test_outdated, flaky, \
                    environment or unknown, with a confidence, a one-sentence summary and the evidence (exception, \
                    stack frames marked law or code, what changed since a passing baseline or git's HEAD, the history). \
                    Writes diagnosis.json beside the report. Never changes the workspace; heals are `taas heal`.
                    """,
                inputSchema: .object([
                    "type": "object",
                    "properties": .object([
                        "report_path": .object([
                            "type": "string", "description": "A report.json, or the --out folder of a run.",
                        ]),
                        "workspace": .object([
                            "type": "string",
                            "description": "The workspace the run judged (maps stack frames to files; needed for git).",
                        ]),
                        "baseline": .object([
                            "type": "string",
                            "description": "The report.json of a passing run: what changed since, without git.",
                        ]),
                        "git": .object([
                            "type": "boolean",
                            "description": "Compare the workspace with git's HEAD (needs workspace).",
                        ]),
                        "history": .object([
                            "type": "string",
                            "description":
                                "A folder of earlier output folders: both verdicts for one workspace is flaky.",
                        ]),
                    ]),
                    "required": .array(["report_path"]),
                    "additionalProperties": false,
                ]),
                annotations: .init(
                    title: "Diagnose a failed run",
                    readOnlyHint: false,
                    destructiveHint: false,
                    idempotentHint: true,
                    openWorldHint: false
                )
            ),
        ]
    }

    /// The contract's JSON Schema, split into its `$defs` (which must stay at the root for its
    /// `#/$defs/…` references) and the rest (the schema of one scope).
    static let contract: (scope: Value, definitions: Value) = {
        guard let parsed = try? JSONParser.parse(Data(TestScopeSchema.json.utf8)).value,
            case .object(let members) = parsed
        else { return (.object(["type": "object"]), .object([:])) }
        let definitions = members.first { $0.key == "$defs" }.map { Value(json: $0.value) } ?? .object([:])
        let scope = JSONValue.object(members.filter { !["$defs", "$schema", "$id", "examples"].contains($0.key) })
        return (Value(json: scope), definitions)
    }()

    static var validateSchema: Value {
        .object([
            "type": "object",
            "properties": .object([
                "scope_path": .object([
                    "type": "string",
                    "description": "A scope file (JSON or YAML), or a folder with scope.json or scope.yaml.",
                ]),
                "scope": contract.scope,
                "workspace": .object([
                    "type": "string",
                    "description": "Also check that the files the scope names exist in this folder (warnings).",
                ]),
            ]),
            "oneOf": .array([.object(["required": .array(["scope_path"])]), .object(["required": .array(["scope"])])]),
            "additionalProperties": false,
            "$defs": contract.definitions,
        ])
    }

    static func runSchema(sandboxKinds: [String]) -> Value {
        .object([
            "type": "object",
            "properties": .object([
                "scope_path": .object([
                    "type": "string",
                    "description": "A scope file (JSON or YAML), or a folder with scope.json or scope.yaml.",
                ]),
                "workspace": .object([
                    "type": "string",
                    "description": "The folder copied into the sandbox (default: the scope file's folder).",
                ]),
                "out": .object([
                    "type": "string",
                    "description": "Where report.json and logs/ are written (default: taas-out beside the scope).",
                ]),
                "sandbox": .object([
                    "type": "string",
                    "enum": .array(sandboxKinds.filter { $0 != "local" }.map { .string($0) }),
                    "description": "The sandbox (default: the scope's environment.type).",
                ]),
                "scenarios": .object([
                    "type": "array", "items": .object(["type": "string"]),
                    "description": "Run only the scenarios whose id matches one of these globs.",
                ]),
                "keyword": .object([
                    "type": "string",
                    "description": "A pytest-style -k expression over scenario ids and types (\"api and not slow\").",
                ]),
                "fail_fast": .object([
                    "type": "boolean",
                    "description": "Stop after the first scenario that fails or errors; the rest are skipped.",
                ]),
                "rerun_failed": .object([
                    "type": "boolean",
                    "description": "Run only what failed or errored in the last report.json in `out`.",
                ]),
            ]),
            "required": .array(["scope_path"]),
            "additionalProperties": false,
        ])
    }
}
