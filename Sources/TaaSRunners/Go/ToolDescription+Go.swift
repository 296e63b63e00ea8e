import Foundation
import TaaSCore

extension ToolDescription {
    /// Runs `go test -json ARGS TARGET` (a package pattern such as `./...`) and reads each test, subtest
    /// included, from the JSON event stream: its `pass`, `fail` or `skip` action, its elapsed time, and
    /// its output as the failure message. A package that fails without a failing test (a build error) is
    /// `error`.
    ///
    /// `GOFLAGS=-mod=mod` is not set and nothing is downloaded: the sandbox has no network, so modules
    /// must be vendored or in the module cache. `GOTOOLCHAIN=local` keeps Go from fetching a toolchain.
    public static let go = ToolDescription(
        name: "go",
        tool: "go test",
        environment: ["GOTOOLCHAIN": "local", "GOPROXY": "off"],
        step: { execution, files in
            .success(
                ToolStep(
                    tool: "go",
                    arguments: ["go", "test", "-json"] + execution.arguments + [execution.target],
                    outputArtifact: files.name("go-test.json")
                )
            )
        },
        results: .output(file: "go-test.json", parse: { GoTestEvents.cases(fromEvents: $0, limits: $1) }),
        noTests: { "go test found no tests in \($0.target)" },
        listing: .go
    )
}

extension Runner where Self == ToolRunner {
    /// `go test -json`, with per-test results.
    public static var go: ToolRunner { ToolRunner(.go) }
}
