import Foundation
import TaaSCore

/// A summary of a report that a signature also covers on its own: the verdict, the summary, and a
/// digest of every part, scenario and test case. When a signed report is edited, the manifest (if
/// its own signature still holds) tells what was edited.
struct ReportManifest: Equatable {
    /// `scenarios[ID].cases[CLASS::NAME]`, `verdict`, … → the part's canonical value or digest.
    var entries: [String: String]

    init(entries: [String: String]) {
        self.entries = entries
    }

    /// The manifest of a report document (without its `signature`).
    init(report: JSONValue) {
        var entries: [String: String] = [:]
        guard case .object(let members) = report else {
            self.entries = [:]
            return
        }
        for member in members {
            switch member.key {
            case "signature":
                continue
            case "verdict", "run_id", "scope_fingerprint":
                entries[member.key] = CanonicalJSON.string(member.value)
            case "scenarios":
                guard case .array(let scenarios) = member.value else {
                    entries["scenarios"] = FileDigest.of(CanonicalJSON.data(member.value))
                    continue
                }
                for (index, scenario) in scenarios.enumerated() {
                    let id =
                        scenario["id"].flatMap { if case .string(let text) = $0 { text } else { nil } } ?? "#\(index)"
                    let key = "scenarios[\(id)]"
                    entries[key] = FileDigest.of(CanonicalJSON.data(scenario))
                    entries[key + ".verdict"] = scenario["verdict"].map(CanonicalJSON.string) ?? "null"
                    guard case .array(let cases)? = scenario["cases"] else { continue }
                    for testCase in cases {
                        let name = [testCase["classname"], testCase["name"]].compactMap { value -> String? in
                            if case .string(let text)? = value { text } else { nil }
                        }.joined(separator: "::")
                        entries["\(key).cases[\(name)]"] = testCase["verdict"].map(CanonicalJSON.string) ?? "null"
                    }
                }
            default:
                entries[member.key] = FileDigest.of(CanonicalJSON.data(member.value))
            }
        }
        self.entries = entries
    }

    var json: JSONValue {
        .object(entries.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .string($0.value)) })
    }

    init?(json: JSONValue) {
        guard case .object(let members) = json else { return nil }
        var entries: [String: String] = [:]
        for member in members {
            guard case .string(let text) = member.value else { return nil }
            entries[member.key] = text
        }
        self.entries = entries
    }

    /// What differs between the signed manifest (`self`) and a report's current one, in words.
    func differences(from current: ReportManifest) -> [String] {
        var lines: [String] = []
        for key in Set(entries.keys).union(current.keys).sorted() {
            let signed = entries[key]
            let now = current.entries[key]
            guard signed != now else { continue }
            let isDigest = (signed ?? now ?? "").hasPrefix("sha256:")
            switch (signed, now) {
            case (nil, _): lines.append("\(Self.describe(key)): added")
            case (_, nil): lines.append("\(Self.describe(key)): removed")
            case (let signed?, let now?):
                lines.append(
                    isDigest ? "\(Self.describe(key)): changed" : "\(Self.describe(key)): signed \(signed), now \(now)"
                )
            }
        }
        return lines
    }

    private var keys: Dictionary<String, String>.Keys { entries.keys }

    private static func describe(_ key: String) -> String {
        key.hasPrefix("scenarios[") && key.contains(".cases[")
            ? key.replacingOccurrences(of: ".cases[", with: " case [") : key
    }
}
