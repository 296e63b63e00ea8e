// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every Swift target (see shared/STYLE.md, item 9).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "MaestroTaaS",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MaestroTaaS", targets: ["TaaSEngine"]),
        .executable(name: "taas", targets: ["taas"]),
        .library(name: "TaaSTesting", targets: ["TaaSTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The Fabric's PostgreSQL store (`taas serve --database`), in its own target.
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
        // The OpenTelemetry attribute names (test.*, cicd.*: its Experimental trait, pinned to the minor
        // version as that trait asks). Not its default Tracing trait: TaaSTelemetry needs the names only.
        .package(
            url: "https://github.com/swift-otel/swift-otel-semantic-conventions",
            .upToNextMinor(from: "1.44.0"),
            traits: ["Experimental"]
        ),
    ],
    targets: [
        // The contract (TestScope), the report model (TaaSReport) and the plug-in protocols.
        .target(
            name: "TaaSCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Sandboxes: where steps run (jail, venv, local).
        .target(
            name: "TaaSSandboxes",
            dependencies: [
                "TaaSCore",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The in-sandbox agent's C source, compiled once per machine into the cache (see AgentBinary).
            resources: [.embedInCode("Agent/taas-agent.c")],
            swiftSettings: swiftSettings
        ),
        // The Docker sandbox and its Engine API client (the only target that needs an HTTP client).
        .target(
            name: "TaaSDocker",
            dependencies: [
                "TaaSCore", "TaaSSandboxes",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Runners: how a scenario's execution becomes a step and per-case results.
        .target(name: "TaaSRunners", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
        // Reporting: report.json, junit.xml and console output.
        .target(name: "TaaSReporting", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
        // Integrity: scope locks, signed reports, the verdict cache.
        .target(
            name: "TaaSIntegrity",
            dependencies: [
                "TaaSCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Scaffolding: `taas init` looks at a project folder and writes a starter scope.
        .target(name: "TaaSScaffold", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
        // YAML scopes: a YAML document read into the contract's JSON model, with line and column positions.
        .target(
            name: "TaaSScopeYAML",
            dependencies: ["TaaSCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The harness engine: the run lifecycle, retries, services, timeouts.
        .target(
            name: "TaaSEngine",
            dependencies: [
                "TaaSCore", "TaaSSandboxes", "TaaSDocker", "TaaSRunners", "TaaSReporting", "TaaSIntegrity",
                "TaaSScopeYAML",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Healer: diagnoses failures from their evidence and runs one correction cycle that can
        // never win by changing the law (it reruns through the engine's public API).
        .target(
            name: "TaaSHealer",
            dependencies: ["TaaSCore", "TaaSIntegrity", "TaaSEngine"],
            swiftSettings: swiftSettings
        ),
        // Telemetry: the run as an OpenTelemetry trace (trace.json, OTLP/HTTP export); the engine never imports it.
        .target(
            name: "TaaSTelemetry",
            dependencies: [
                "TaaSCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "OTelSemanticConventions", package: "swift-otel-semantic-conventions"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The testing kit: an in-memory sandbox, a fake runner and report builders, for our tests and
        // for the tests of parts built on the engine (as HummingbirdTesting is to Hummingbird).
        .target(name: "TaaSTesting", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
        // The Model Context Protocol server (`taas mcp`): the Judge's tools for coding agents, over stdio.
        .target(
            name: "TaaSMCP",
            dependencies: [
                "TaaSEngine", "TaaSCore", "TaaSReporting", "TaaSHealer",
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Quality Fabric: `taas serve`, the Judge as an HTTP service with a run store (SQLite).
        .target(
            name: "TaaSFabric",
            dependencies: [
                "TaaSCore", "TaaSEngine", "TaaSReporting", "TaaSIntegrity", "TaaSDocker", "TaaSRunners",
                "TaaSSandboxes",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // Imported directly, so named here: a release build does not find them through
                // the other products (a debug build happened to).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
        // The Fabric's PostgreSQL store: runs, leases and workers shared through a real database
        // (`taas serve --database postgresql://…`), so that only `taas` and its tests build postgres-nio.
        .target(
            name: "TaaSFabricPostgres",
            dependencies: [
                "TaaSFabric", "TaaSCore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shift Right: production incidents (HAR, access logs, JSON lines, OTLP traces) turned into
        // regression scenarios, and recorded traffic replayed against the sandboxed service with a diff.
        .target(
            name: "TaaSShiftRight",
            dependencies: [
                "TaaSCore", "TaaSEngine", "TaaSRunners", "TaaSScopeYAML",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line interface.
        .executableTarget(
            name: "taas",
            dependencies: [
                "TaaSEngine", "TaaSDocker", "TaaSIntegrity", "TaaSMCP", "TaaSScaffold", "TaaSHealer", "TaaSFabric",
                "TaaSFabricPostgres", "TaaSTelemetry", "TaaSShiftRight",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TaaSCoreTests", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TaaSScaffoldTests",
            dependencies: ["TaaSScaffold", "TaaSScopeYAML", "TaaSCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSScopeYAMLTests",
            dependencies: ["TaaSScopeYAML", "TaaSCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSIntegrityTests",
            dependencies: ["TaaSIntegrity", "TaaSCore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TaaSDockerTests", dependencies: ["TaaSDocker", "TaaSCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TaaSReportingTests",
            dependencies: ["TaaSReporting", "TaaSCore", "TaaSTesting"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSEngineTests",
            dependencies: [
                "TaaSEngine", "TaaSCore", "TaaSSandboxes", "TaaSRunners", "TaaSReporting", "TaaSIntegrity",
                "TaaSTesting",
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSHealerTests",
            dependencies: ["TaaSHealer", "TaaSEngine", "TaaSCore", "TaaSIntegrity", "TaaSTesting"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSFabricTests",
            dependencies: [
                "TaaSFabric", "TaaSFabricPostgres", "TaaSCore", "TaaSEngine", "TaaSTesting", "TaaSIntegrity",
                "TaaSTelemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSTelemetryTests",
            dependencies: [
                "TaaSTelemetry", "TaaSEngine", "TaaSCore", "TaaSTesting", "TaaSSandboxes", "TaaSDocker",
                "TaaSReporting",
            ],
            exclude: ["Receiver"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSShiftRightTests",
            dependencies: ["TaaSShiftRight", "TaaSEngine", "TaaSCore", "TaaSTesting", "TaaSRunners"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSTestingTests",
            dependencies: ["TaaSTesting", "TaaSEngine", "TaaSCore", "TaaSRunners", "TaaSIntegrity"],
            swiftSettings: swiftSettings
        ),
    ]
)
