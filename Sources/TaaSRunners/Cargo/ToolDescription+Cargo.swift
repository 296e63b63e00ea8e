import Foundation
import TaaSCore

extension ToolDescription {
    /// Runs `cargo test --no-fail-fast ARGS` on the crate at `execution.target` (its folder or its
    /// `Cargo.toml`) and reads each test from libtest's per-test lines (`test NAME ... ok`, `FAILED`,
    /// `ignored`), with the panic message of each failed test from its `---- NAME stdout ----` section.
    /// The classname is the test binary (`src/lib.rs`, `tests/it.rs`, `doc-tests`). A build error is `error`.
    public static let cargo = ToolDescription(
        name: "cargo",
        tool: "cargo test",
        environment: ["CARGO_TERM_COLOR": "never", "RUST_BACKTRACE": "0"],
        step: { execution, files in
            .success(
                ToolStep(
                    tool: "cargo",
                    arguments: ["cargo", "test", "--no-fail-fast", "--manifest-path", cargoManifest(of: execution)]
                        + execution.arguments,
                    outputArtifact: files.name("cargo-test.txt"),
                    mergeStandardError: true
                )
            )
        },
        results: .output(
            file: "cargo-test.txt",
            parse: { output, limits in
                output.count > limits.reportBytes
                    ? ([], limits.oversizedMessage("cargo test's output", bytes: output.count))
                    : CargoTestOutput.cases(fromOutput: String(decoding: output, as: UTF8.self), limits: limits)
            }
        ),
        noTests: { "cargo test ran no tests in \($0.target)" },
        listing: .cargo
    )
}

extension ToolDescription {
    /// The crate's manifest: `execution.target` when it names a `Cargo.toml`, else the one in that folder.
    static func cargoManifest(of execution: Execution) -> String {
        execution.target.hasSuffix("Cargo.toml") ? execution.target : "\(execution.target)/Cargo.toml"
    }
}

extension Runner where Self == ToolRunner {
    /// `cargo test`, with per-test results from libtest's lines.
    public static var cargo: ToolRunner { ToolRunner(.cargo) }
}
