import Foundation
import HTTPTypes
import TaaSCore

/// The labels a worker must have to claim a run: those its submitter asked for (`requires`) and
/// those its sandbox needs (a Docker run needs `docker=true`, a jail or venv run `bwrap=true`, a
/// local run `unsafe_local=true`).
public enum RunRequirements {
    /// Reads `k=v,k=v` (the CLI's `--requires`) or a JSON object of strings (the form field).
    /// - Throws: ``APIError`` 422 naming the bad entry.
    public static func parse(_ text: String) throws(APIError) -> [String: String] {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("{") {
            guard let object = try? JSONDecoder().decode([String: String].self, from: Data(trimmed.utf8)) else {
                throw APIError(.unprocessableContent, "requires: expected a JSON object of strings or k=v,k=v")
            }
            return object
        }
        var labels: [String: String] = [:]
        for entry in trimmed.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw APIError(.unprocessableContent, "requires: expected k=v, got '\(entry.prefix(60))'")
            }
            labels[parts[0]] = parts[1]
        }
        return labels
    }

    /// The labels the sandbox `kind` needs on the worker that runs it.
    public static func implied(bySandbox kind: String) -> [String: String] {
        switch Environment.Kind(rawValue: kind) {
        case .docker: ["docker": "true"]
        case .jail, .venv: ["bwrap": "true"]
        case .local: ["unsafe_local": "true"]
        case nil: [:]
        }
    }
}
