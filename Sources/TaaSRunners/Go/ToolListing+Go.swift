import Foundation
import TaaSCore

extension ToolListing {
    /// go's listing: `go test -list PATTERN -json ARGS TARGET`, the top-level tests, fuzz tests and
    /// examples of every package, each as `PACKAGE::TestName` (subtests are found only by running, so a
    /// reported `TestName/sub` belongs to its listed parent).
    ///
    /// The scenario's `-run` pattern (its top level, before any `/`) becomes the listing's pattern, and
    /// a `-skip` pattern without `/` removes the tests it names, so the ledger holds what the run
    /// selects. Benchmarks are left out: `go test` runs them only with `-bench`. go has no static skip
    /// marker, so a listed test that calls `t.Skip` under a lock is reported as not executed.
    public static let go = ToolListing(
        steps: { execution, files in
            let selection = GoSelection(arguments: execution.arguments)
            return [
                Step(
                    ToolStep(
                        tool: "go",
                        arguments: ["go", "test", "-list", selection.listPattern, "-json"] + selection.otherArguments
                            + [execution.target],
                        outputArtifact: files.name("go-list.json")
                    ),
                    artifact: files.name("go-list.json")
                )
            ]
        },
        read: { execution, outputs in
            let output = outputs[0]
            guard output.outcome.exitCode == 0, let data = output.data else {
                return .failure(
                    ToolListingFailure("listing the go tests ended with exit code \(output.exitCode): \(output.tail)")
                )
            }
            let skip = GoSelection(arguments: execution.arguments).skipPattern.flatMap {
                try? NSRegularExpression(pattern: $0)
            }
            return .success(GoSelection.cases(fromListing: data, skipping: skip))
        }
    )
}

/// The test selection flags of a `go test` command line.
struct GoSelection {
    /// The pattern for `-list`: the top level of `-run`, or `.` (everything).
    var listPattern = "."
    /// The top level of `-skip`, when it has no `/` (a pattern with one skips subtests only).
    var skipPattern: String?
    /// The arguments without `-run` and `-skip`.
    var otherArguments: [String] = []

    init(arguments: [String]) {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let flag = argument.hasPrefix("--") ? String(argument.dropFirst()) : argument
            var value: String?
            var name = flag
            if let equals = flag.firstIndex(of: "=") {
                name = String(flag[..<equals])
                value = String(flag[flag.index(after: equals)...])
            }
            guard name == "-run" || name == "-skip" || name == "-test.run" || name == "-test.skip" else {
                otherArguments.append(argument)
                index += 1
                continue
            }
            if value == nil, index + 1 < arguments.endIndex {
                value = arguments[index + 1]
                index += 1
            }
            index += 1
            guard let value, !value.isEmpty else { continue }
            if name.hasSuffix("run") {
                listPattern = String(value.split(separator: "/", omittingEmptySubsequences: false)[0])
                if listPattern.isEmpty { listPattern = "." }
            } else if !value.contains("/") {
                skipPattern = value
            }
        }
    }

    /// The cases of a `go test -list … -json` event stream: each `output` line that is a test's name.
    static func cases(fromListing data: Data, skipping skip: NSRegularExpression? = nil) -> [LedgerCase] {
        var cases: [LedgerCase] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                event["Action"] as? String == "output", let package = event["Package"] as? String,
                let output = event["Output"] as? String
            else { continue }
            let name = output.trimmingCharacters(in: .whitespacesAndNewlines)
            guard isTestName(name), !name.hasPrefix("Benchmark") else { continue }
            if let skip, skip.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil { continue }
            cases.append(LedgerCase(id: "\(package)::\(name)"))
        }
        return cases
    }

    /// Whether `name` is a Go identifier starting like a test function (`Test`, `Fuzz`, `Example`, `Benchmark`).
    static func isTestName(_ name: String) -> Bool {
        guard ["Test", "Fuzz", "Example", "Benchmark"].contains(where: name.hasPrefix) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }
}
