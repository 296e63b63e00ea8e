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
        // The harness engine: the run lifecycle, retries, services, timeouts.
        .target(
            name: "TaaSEngine",
            dependencies: [
                "TaaSCore", "TaaSSandboxes", "TaaSDocker", "TaaSRunners", "TaaSReporting", "TaaSIntegrity",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Telemetry: the run as an OpenTelemetry trace (trace.json, OTLP/HTTP export); the engine never imports it.
        .target(
            name: "TaaSTelemetry",
            dependencies: [
                "TaaSCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // The testing kit: an in-memory sandbox, a fake runner and report builders, for our tests and
        // for the tests of parts built on the engine (as HummingbirdTesting is to Hummingbird).
        .target(name: "TaaSTesting", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
        // The command-line interface.
        .executableTarget(
            name: "taas",
            dependencies: [
                "TaaSEngine", "TaaSDocker", "TaaSIntegrity", "TaaSTelemetry",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "TaaSCoreTests", dependencies: ["TaaSCore"], swiftSettings: swiftSettings),
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
            name: "TaaSTelemetryTests",
            dependencies: [
                "TaaSTelemetry", "TaaSEngine", "TaaSCore", "TaaSTesting", "TaaSSandboxes", "TaaSDocker",
                "TaaSReporting",
            ],
            exclude: ["Receiver"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TaaSTestingTests",
            dependencies: ["TaaSTesting", "TaaSEngine", "TaaSCore", "TaaSRunners", "TaaSIntegrity"],
            swiftSettings: swiftSettings
        ),
    ]
)
