import Foundation
import TaaSCore

extension ToolListing {
    /// cargo's listing: `cargo test ARGS -- --list` (libtest's `NAME: test` lines under each test
    /// binary's header), each case as `BINARY::NAME` as the cargo runner reports it (`src/lib.rs::tests::t`,
    /// `doc-tests::src/lib.rs - add (line 3)`), then `-- --list --ignored` for the tests marked
    /// `#[ignore]`, which may be skipped. The scenario's own filters and options apply to both.
    ///
    /// Listing builds the tests, as a run does; with no network in the sandbox, dependencies must be
    /// vendored or already fetched.
    public static let cargo = ToolListing(
        steps: { execution, files in
            let manifest = ToolDescription.cargoManifest(of: execution)
            let base = ["cargo", "test", "--manifest-path", manifest] + execution.arguments
            let separated = execution.arguments.contains("--")
            let list = base + (separated ? ["--list"] : ["--", "--list"])
            var steps = [
                Step(
                    ToolStep(
                        tool: "cargo",
                        arguments: list,
                        outputArtifact: files.name("cargo-list.txt"),
                        mergeStandardError: true
                    ),
                    artifact: files.name("cargo-list.txt")
                )
            ]
            if !CargoListing.runsIgnored(execution.arguments) {
                steps.append(
                    Step(
                        ToolStep(
                            tool: "cargo",
                            arguments: list + ["--ignored"],
                            outputArtifact: files.name("cargo-list-ignored.txt"),
                            mergeStandardError: true
                        ),
                        artifact: files.name("cargo-list-ignored.txt")
                    )
                )
            }
            return steps
        },
        read: { _, outputs in
            var listings: [[String]] = []
            for output in outputs {
                guard output.outcome.exitCode == 0, let data = output.data else {
                    return .failure(
                        ToolListingFailure(
                            "listing the cargo tests ended with exit code \(output.exitCode): \(output.tail)"
                        )
                    )
                }
                listings.append(CargoListing.names(fromListing: String(decoding: data, as: UTF8.self)))
            }
            let ignored = Set(listings.dropFirst().first ?? [])
            return .success(listings[0].map { LedgerCase(id: $0, mayNotRun: ignored.contains($0) ? ["ignore"] : []) })
        }
    )
}

/// Reads libtest's `--list` output.
enum CargoListing {
    /// Whether the arguments run the ignored tests too (`--ignored`, `--include-ignored`): then none
    /// may be skipped.
    static func runsIgnored(_ arguments: [String]) -> Bool {
        arguments.contains("--ignored") || arguments.contains("--include-ignored")
    }

    /// The tests of a `cargo test -- --list` output, as `BINARY::NAME`.
    static func names(fromListing text: String) -> [String] {
        var binary = ""
        var names: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let header = CargoTestOutput.testBinary(inHeader: trimmed) {
                binary = header
            } else if !line.hasPrefix(" "), line.hasSuffix(": test") {
                names.append("\(binary)::\(line.dropLast(": test".count))")
            }
        }
        return names
    }
}
