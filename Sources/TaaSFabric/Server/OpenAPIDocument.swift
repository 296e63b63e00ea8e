import Foundation

/// The API's OpenAPI 3.1 description, served at `GET /v1/openapi.json`. A test keeps its operations
/// equal to the router's routes.
enum OpenAPIDocument {
    /// One operation: method, path (OpenAPI form, `{id}`), summary, its success status, who may call it.
    struct Operation {
        var method: String
        var path: String
        var summary: String
        var success: String
        var role: String?
        var contentType = "application/json"
    }

    static let operations: [Operation] = [
        Operation(
            method: "get",
            path: "/",
            summary: "The dashboard (HTML)",
            success: "200",
            role: nil,
            contentType: "text/html"
        ),
        Operation(method: "get", path: "/v1/health", summary: "Liveness (no token needed)", success: "200", role: nil),
        Operation(
            method: "get",
            path: "/metrics",
            summary: "Prometheus metrics",
            success: "200",
            role: "read",
            contentType: "text/plain"
        ),
        Operation(method: "get", path: "/v1/openapi.json", summary: "This document", success: "200", role: "read"),
        Operation(
            method: "post",
            path: "/v1/runs",
            summary: "Submit a run (multipart: scope, workspace .tar.gz, sandbox, jobs, labels)",
            success: "202",
            role: "submit"
        ),
        Operation(
            method: "get",
            path: "/v1/runs",
            summary: "Run history, newest first (scope_id, verdict, label=k:v, limit, cursor)",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}",
            summary: "A run's status, verdict, summary and timestamps",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "delete",
            path: "/v1/runs/{id}",
            summary: "Cancel a run (teardown still runs; verdict error)",
            success: "202",
            role: "submit"
        ),
        Operation(method: "get", path: "/v1/runs/{id}/report", summary: "report.json", success: "200", role: "read"),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/report.html",
            summary: "report.html",
            success: "200",
            role: "read",
            contentType: "text/html"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/junit.xml",
            summary: "junit.xml",
            success: "200",
            role: "read",
            contentType: "application/xml"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/summary.md",
            summary: "summary.md",
            success: "200",
            role: "read",
            contentType: "text/markdown"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/trace.json",
            summary: "The run's OpenTelemetry trace (OTLP/JSON; its id is the run's trace_id)",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/logs/{path}",
            summary: "A log file of the run",
            success: "200",
            role: "read",
            contentType: "text/plain"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/events",
            summary: "Server-Sent Events (the objects of taas run --events); past events first",
            success: "200",
            role: "read",
            contentType: "text/event-stream"
        ),
        Operation(
            method: "get",
            path: "/v1/scopes",
            summary: "Per scope: last verdict, pass rate, median duration, flaky cases",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "get",
            path: "/v1/scopes/{scope_id}/cases",
            summary: "Per test case: runs, passes, failures, flaky; flakiest first",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "post",
            path: "/v1/reports",
            summary: "Ingest a report.json made elsewhere (signature checked with --trust-key)",
            success: "201",
            role: "submit"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/scope.json",
            summary: "The scope the run was submitted with",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "get",
            path: "/v1/runs/{id}/workspace.tar.gz",
            summary: "The workspace archive as uploaded (for workers)",
            success: "200",
            role: "worker",
            contentType: "application/gzip"
        ),
        Operation(
            method: "post",
            path: "/v1/runs/{id}/events",
            summary: "A worker's event lines for the attempt it holds (?worker=&fence=; 409 when fenced out)",
            success: "204",
            role: "worker"
        ),
        Operation(
            method: "post",
            path: "/v1/runs/{id}/result",
            summary:
                "A worker's report folder as .tar.gz for the attempt it holds (?worker=&fence=; 409 when fenced out)",
            success: "200",
            role: "worker"
        ),
        Operation(
            method: "post",
            path: "/v1/workers",
            summary: "Register a worker ({name, slots, labels}); answers its id, lease and heartbeat period",
            success: "201",
            role: "worker"
        ),
        Operation(
            method: "get",
            path: "/v1/workers",
            summary: "Each worker: labels, slots, state (available, busy, offline), runs, last heartbeat",
            success: "200",
            role: "read"
        ),
        Operation(
            method: "post",
            path: "/v1/workers/{worker}/claim",
            summary: "Claim the oldest queued run this worker can serve, waiting up to ?wait= seconds (204: none)",
            success: "200",
            role: "worker"
        ),
        Operation(
            method: "post",
            path: "/v1/workers/{worker}/heartbeat",
            summary: "Renew the leases of the runs held ({runs: [{run_id, fence}]}); answers the runs to stop",
            success: "200",
            role: "worker"
        ),
    ]

    /// The document as JSON.
    static var json: Data {
        typealias Object = [String: Any]
        let stringSchema: Object = ["type": "string"]
        var paths: [String: Object] = [:]
        for operation in operations {
            var parameters: [Object] = []
            for name in ["id", "path", "scope_id", "worker"] where operation.path.contains("{\(name)}") {
                parameters.append(["name": name, "in": "path", "required": true, "schema": stringSchema])
            }
            if operation.method == "get" && operation.path == "/v1/runs" {
                for name in ["scope_id", "verdict", "label", "cursor"] {
                    parameters.append(["name": name, "in": "query", "required": false, "schema": stringSchema])
                }
                let limit: Object = ["type": "integer", "minimum": 1]
                parameters.append(["name": "limit", "in": "query", "required": false, "schema": limit])
            }
            let content: Object = [operation.contentType: ["schema": Object()] as Object]
            let responses: Object = [
                operation.success: ["description": "success", "content": content] as Object,
                "401": ["description": "a token is needed, or it is unknown"] as Object,
                "403": ["description": "the token's role does not allow this"] as Object,
                "404": ["description": "no such run"] as Object,
            ]
            let security: [Object] = operation.role == nil ? [] : [["bearer": [String]()]]
            var entry: Object = [
                "summary": operation.summary,
                "operationId": operation.method + operation.path.replacingOccurrences(of: "/", with: "_"),
                "responses": responses,
                "security": security,
            ]
            if !parameters.isEmpty { entry["parameters"] = parameters }
            if operation.path == "/v1/runs" && operation.method == "post" {
                let properties: Object = [
                    "scope": ["type": "string", "description": "the TestScope JSON"] as Object,
                    "workspace": ["type": "string", "contentMediaType": "application/gzip"] as Object,
                    "sandbox": stringSchema,
                    "jobs": ["type": "integer"] as Object,
                    "labels": ["type": "string", "description": "a JSON object of strings"] as Object,
                ]
                let schema: Object = ["type": "object", "required": ["scope", "workspace"], "properties": properties]
                let form: Object = ["multipart/form-data": ["schema": schema] as Object]
                entry["requestBody"] = ["required": true, "content": form] as Object
            }
            if operation.path == "/v1/reports" {
                let json: Object = ["application/json": ["schema": ["type": "object"] as Object] as Object]
                entry["requestBody"] = ["required": true, "content": json] as Object
            }
            paths[operation.path, default: [:]][operation.method] = entry
        }
        let bearer: Object = ["type": "http", "scheme": "bearer"]
        let document: Object = [
            "openapi": "3.1.0",
            "info": ["title": "Maestro TaaS Quality Fabric", "version": "1"] as Object,
            "paths": paths,
            "components": ["securitySchemes": ["bearer": bearer] as Object] as Object,
        ]
        return (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
    }
}
