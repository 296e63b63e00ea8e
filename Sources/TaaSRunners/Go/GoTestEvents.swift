import Foundation
import TaaSCore

/// Reads `go test -json` event streams.
enum GoTestEvents {
    /// The test cases of a `go test -json` event stream (one JSON object per line; other lines are ignored).
    ///
    /// Bounded by `limits`: a stream bigger than ``CaseLimits/reportBytes`` or with more tests than
    /// ``CaseLimits/casesPerScenario`` gives no cases and a "case limit reached" problem; names and
    /// messages are cut; the read stops when its task is cancelled.
    static func cases(
        fromEvents data: Data,
        limits: CaseLimits = CaseLimits()
    ) -> (cases: [CaseResult], problem: String?) {
        if data.count > limits.reportBytes {
            return ([], limits.oversizedMessage("the go test -json event stream", bytes: data.count))
        }
        let deadline = ContinuousClock.now + limits.parseTime
        struct Key: Hashable {
            var package: String
            var test: String
        }
        var order: [Key] = []
        var results: [Key: CaseResult] = [:]
        var output: [Key: String] = [:]
        var outputBytes = 0
        var lineNumber = 0
        var next = data.startIndex
        while next < data.endIndex {
            let end = data[next...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
            let line = data[next..<end]
            next = end < data.endIndex ? end + 1 : end
            lineNumber += 1
            if lineNumber & 0xFFF == 0 {
                if Task.isCancelled { return ([], "the go test events were not read: the run was interrupted") }
                if ContinuousClock.now > deadline {
                    return (
                        [],
                        "case limit reached: reading the go test events took more than \(limits.parseTime) (the limit of parse time)"
                    )
                }
            }
            guard line.first == UInt8(ascii: "{"),
                let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let action = event["Action"] as? String, let test = event["Test"] as? String
            else { continue }
            let key = Key(
                package: CaseLimits.cut(event["Package"] as? String ?? "", to: limits.nameBytes),
                test: CaseLimits.cut(test, to: limits.nameBytes)
            )
            if results[key] == nil, action == "run" || action == "pass" || action == "fail" || action == "skip",
                order.count >= limits.casesPerScenario
            {
                return ([], limits.perScenarioMessage)
            }
            switch action {
            case "run":
                if results[key] == nil { order.append(key) }
                results[key] = CaseResult(name: key.test, classname: key.package, verdict: .pass, durationMS: 0)
            case "output":
                // Each unfinished test keeps at most a message's worth of lines, and all of them together
                // at most a thousand messages' worth.
                if output[key] != nil || output.count < limits.casesPerScenario, let text = event["Output"] as? String,
                    output[key, default: ""].utf8.count < limits.messageBytes,
                    outputBytes + text.utf8.count <= limits.messageBytes * 1024
                {
                    output[key, default: ""] += text
                    outputBytes += text.utf8.count
                }
            case "pass", "fail", "skip":
                if results[key] == nil {
                    order.append(key)
                    results[key] = CaseResult(name: key.test, classname: key.package, verdict: .pass, durationMS: 0)
                }
                let milliseconds = ((event["Elapsed"] as? Double ?? 0) * 1000).rounded()
                results[key]!.durationMS = milliseconds.isFinite && abs(milliseconds) < 1e15 ? Int(milliseconds) : 0
                results[key]!.verdict = action == "pass" ? .pass : action == "fail" ? .fail : .skipped
                if action != "pass" {
                    results[key]!.message = message(from: output[key] ?? "").map {
                        CaseLimits.cut($0, to: limits.messageBytes)
                    }
                }
                outputBytes -= output.removeValue(forKey: key)?.utf8.count ?? 0
            default:
                break
            }
        }
        return (order.compactMap { results[$0] }, nil)
    }

    /// The lines a test printed, without the `=== RUN` and `--- FAIL` markers go adds.
    private static func message(from output: String) -> String? {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: true).filter { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !["=== RUN", "=== PAUSE", "=== CONT", "--- FAIL", "--- SKIP", "--- PASS"].contains {
                trimmed.hasPrefix($0)
            }
        }
        let text = lines.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "\n")
        return text.isEmpty ? nil : text
    }
}
