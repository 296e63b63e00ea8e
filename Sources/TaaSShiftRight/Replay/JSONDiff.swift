import Foundation
import TaaSCore

/// Compares two JSON documents structurally (members, kinds and values, path by path) under noise
/// rules, and lists every difference.
enum JSONDiff {
    /// The differences of `got` from `recorded`: members missing or added, kinds changed, values
    /// changed (strings after masking, numbers by value), arrays element by element (or as multisets
    /// where the rules say so). Paths the rules or `noise` ignore are not compared.
    static func differences(
        recorded: JSONValue,
        got: JSONValue,
        rules: NoiseRules,
        noise: [JSONPathPattern] = []
    ) -> [ReplayMismatch] {
        var found: [ReplayMismatch] = []
        walk(JSONPathSteps(), recorded, got, rules, noise, &found)
        return found
    }

    /// The paths where `first` and `second` differ, with no mask and nothing ignored (the raw
    /// differences between two replays), arrays compared by index unless the rules say otherwise.
    static func paths(where first: JSONValue, differsFrom second: JSONValue, rules: NoiseRules) -> [String] {
        var raw = rules
        raw.masks = []
        raw.ignore = []
        var found: [ReplayMismatch] = []
        walk(JSONPathSteps(), first, second, raw, [], &found, generalise: true)
        var seen = Set<String>()
        return found.map(\.path).filter { seen.insert($0).inserted }
    }

    private static func walk(
        _ path: JSONPathSteps,
        _ recorded: JSONValue,
        _ got: JSONValue,
        _ rules: NoiseRules,
        _ noise: [JSONPathPattern],
        _ found: inout [ReplayMismatch],
        generalise: Bool = false
    ) {
        if rules.ignores(path, noise: noise) { return }
        let name = generalise ? path.generalised : path.description
        switch (recorded, got) {
        case (.object(let left), .object(let right)):
            var keys = Set<String>()
            for member in left where keys.insert(member.key).inserted {
                let child = path.appending(member.key)
                if let other = got[member.key] {
                    walk(child, member.value, other, rules, noise, &found, generalise: generalise)
                } else if !rules.ignores(child, noise: noise) {
                    found.append(
                        ReplayMismatch(
                            path: generalise ? child.generalised : child.description,
                            kind: .missing,
                            recorded: show(member.value),
                            got: nil
                        )
                    )
                }
            }
            for member in right where !keys.contains(member.key) {
                keys.insert(member.key)
                let child = path.appending(member.key)
                if rules.ignores(child, noise: noise) { continue }
                found.append(
                    ReplayMismatch(
                        path: generalise ? child.generalised : child.description,
                        kind: .unexpected,
                        recorded: nil,
                        got: show(member.value)
                    )
                )
            }
        case (.array(var left), .array(var right)):
            if rules.isUnordered(path) {
                left = sorted(left, rules)
                right = sorted(right, rules)
            }
            for index in 0..<max(left.count, right.count) {
                let child = path.appending(index)
                if index < left.count, index < right.count {
                    walk(child, left[index], right[index], rules, noise, &found, generalise: generalise)
                } else if rules.ignores(child, noise: noise) {
                    continue
                } else if index < left.count {
                    found.append(
                        ReplayMismatch(
                            path: generalise ? child.generalised : child.description,
                            kind: .missing,
                            recorded: show(left[index]),
                            got: nil
                        )
                    )
                } else {
                    found.append(
                        ReplayMismatch(
                            path: generalise ? child.generalised : child.description,
                            kind: .unexpected,
                            recorded: nil,
                            got: show(right[index])
                        )
                    )
                }
            }
        case (.string(let left), .string(let right)):
            if rules.masked(left) != rules.masked(right) {
                found.append(ReplayMismatch(path: name, kind: .changed, recorded: show(recorded), got: show(got)))
            }
        case (.number(let left), .number(let right)):
            if !sameNumber(left, right) {
                found.append(ReplayMismatch(path: name, kind: .changed, recorded: left.text, got: right.text))
            }
        case (.bool(let left), .bool(let right)):
            if left != right {
                found.append(ReplayMismatch(path: name, kind: .changed, recorded: show(recorded), got: show(got)))
            }
        case (.null, .null):
            break
        default:
            found.append(
                ReplayMismatch(
                    path: name,
                    kind: .type,
                    recorded: "\(recorded.kindDescription) \(show(recorded))",
                    got: "\(got.kindDescription) \(show(got))"
                )
            )
        }
    }

    /// Numbers by value (`12.5` is `12.50`), integers exactly.
    private static func sameNumber(_ left: JSONNumber, _ right: JSONNumber) -> Bool {
        if left.text == right.text { return true }
        if let a = left.integer, let b = right.integer { return a == b }
        return left.double == right.double
    }

    /// An array's elements in the order of their masked canonical text.
    private static func sorted(_ elements: [JSONValue], _ rules: NoiseRules) -> [JSONValue] {
        elements.map { (rules.masked(CanonicalJSON.string($0)), $0) }.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A value as JSON text, cut at 120 characters.
    static func show(_ value: JSONValue) -> String {
        let text = CanonicalJSON.string(value)
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }
}
