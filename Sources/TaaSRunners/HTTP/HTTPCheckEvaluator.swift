import Foundation
import TaaSCore

/// Compares an HTTP answer with a check's expectations and reads its captures.
enum HTTPCheckEvaluator {
    /// Every failed expectation, each as "what: expected …, got …"; empty when the answer is as expected.
    static func failures(of check: HTTPCheck, response: HTTPResponse, elapsedMilliseconds: Int) -> [String] {
        var failures: [String] = []
        let expectation = check.expectation
        let status = JSONValue.number(JSONNumber(String(response.status)))
        if let matcher = expectation.status {
            if let problem = matcher.failure(for: status) { failures.append("status: \(problem)") }
        } else if !(200...299).contains(response.status) {
            failures.append("status: expected a 2xx status, got \(response.status)")
        }
        for (name, matcher) in expectation.headers {
            if let problem = matcher.failure(for: response.header(name).map(JSONValue.string)) {
                failures.append("header \(name): \(problem)")
            }
        }
        if !expectation.json.isEmpty {
            switch document(response) {
            case .success(let document):
                for (query, matcher) in expectation.json {
                    if let problem = matcher.failure(for: query.value(in: document)) {
                        failures.append("json \(query): \(problem)")
                    }
                }
            case .failure(let problem):
                failures.append("json: the body is not JSON (\(problem)); body: \(excerpt(response))")
            }
        }
        let text = response.text
        for fragment in expectation.bodyContains where !text.contains(fragment) {
            failures.append(
                "body: expected it to contain \(ValueMatcher.show(.string(fragment))), got \(excerpt(response))"
            )
        }
        if let limit = expectation.maximumMilliseconds, elapsedMilliseconds > limit {
            failures.append("time: expected at most \(limit) ms, took \(elapsedMilliseconds) ms")
        }
        return failures
    }

    /// The captured values (strings as they are, other values as JSON text), or why one is missing.
    static func captures(of check: HTTPCheck, response: HTTPResponse) -> Result<[String: String], CaptureError> {
        guard !check.captures.isEmpty else { return .success([:]) }
        let parsed: JSONValue
        switch document(response) {
        case .success(let document): parsed = document
        case .failure(let problem):
            return .failure(
                CaptureError(message: "capture: the body is not JSON (\(problem)); body: \(excerpt(response))")
            )
        }
        var values: [String: String] = [:]
        for capture in check.captures {
            switch capture.path.value(in: parsed) {
            case .string(let text)?: values[capture.name] = text
            case let value?: values[capture.name] = CanonicalJSON.string(value)
            case nil:
                return .failure(
                    CaptureError(message: "capture \(capture.name): nothing at \(capture.path) in \(excerpt(response))")
                )
            }
        }
        return .success(values)
    }

    struct CaptureError: Error {
        var message: String
    }

    private static func document(_ response: HTTPResponse) -> Result<JSONValue, JSONSyntaxError> {
        do { return .success(try JSONParser.parse(Data(response.body)).value) } catch { return .failure(error) }
    }

    /// The start of the body, for messages.
    static func excerpt(_ response: HTTPResponse, limit: Int = 200) -> String {
        let text = response.text.replacingOccurrences(of: "\n", with: " ")
        if text.isEmpty { return "an empty body" }
        return "\"" + (text.count > limit ? String(text.prefix(limit)) + "…" : text) + "\""
    }
}
