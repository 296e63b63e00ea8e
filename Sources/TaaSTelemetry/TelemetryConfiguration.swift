import Foundation
import OTelSemanticConventions

/// Where and how a run's trace is exported, from the standard `OTEL_*` variables and
/// `taas run --otlp-endpoint`.
///
/// | variable | meaning |
/// |---|---|
/// | `OTEL_SDK_DISABLED=true` | export nothing (`trace.json` is still written) |
/// | `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` | the full URL to POST traces to |
/// | `OTEL_EXPORTER_OTLP_ENDPOINT` | the base URL; traces go to `/v1/traces` under it |
/// | `OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL` | `http/protobuf` (default) or `http/json` |
/// | `OTEL_EXPORTER_OTLP_[TRACES_]HEADERS` | `key=value,…` added to the request |
/// | `OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT` | milliseconds; at most (and by default) 2000 |
/// | `OTEL_SERVICE_NAME` | `service.name` (default `taas`) |
/// | `OTEL_RESOURCE_ATTRIBUTES` | `key=value,…` resource attributes |
public struct TelemetryConfiguration: Sendable, Equatable {
    /// The wire format of an export.
    public enum WireProtocol: String, Sendable, Equatable {
        case protobuf = "http/protobuf"
        case json = "http/json"

        var contentType: String { self == .protobuf ? "application/x-protobuf" : "application/json" }
    }

    /// Where traces are sent, and how.
    public struct Export: Sendable, Equatable {
        public var endpoint: URL
        public var wireProtocol: WireProtocol
        public var headers: [(name: String, value: String)]
        /// The whole export is given up after this long (≤ ``TelemetryConfiguration/maximumDelay``).
        public var timeout: Duration

        public static func == (lhs: Export, rhs: Export) -> Bool {
            lhs.endpoint == rhs.endpoint && lhs.wireProtocol == rhs.wireProtocol && lhs.timeout == rhs.timeout
                && lhs.headers.map(\.name) == rhs.headers.map(\.name)
                && lhs.headers.map(\.value) == rhs.headers.map(\.value)
        }
    }

    /// The most an export may add to the end of a run.
    public static let maximumDelay: Duration = .seconds(2)

    /// `nil`: nothing is exported (no endpoint, or `OTEL_SDK_DISABLED`).
    public var export: Export?
    /// The resource's attributes: `service.name`, `service.version` and `OTEL_RESOURCE_ATTRIBUTES`.
    public var resource: [Attribute]

    public init(export: Export?, resource: [Attribute]) {
        self.export = export
        self.resource = resource
    }

    /// The configuration of `environment`, with `endpoint` (`--otlp-endpoint`, a base URL like
    /// `OTEL_EXPORTER_OTLP_ENDPOINT`) over the variables' endpoints.
    /// - Throws: ``TelemetryConfigurationError`` naming the variable that is wrong.
    public static func resolve(
        environment: [String: String],
        endpoint option: String? = nil,
        version: String
    ) throws(TelemetryConfigurationError) -> TelemetryConfiguration {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        var resource: [Attribute] = []
        for (key, text) in try pairs(value("OTEL_RESOURCE_ATTRIBUTES"), variable: "OTEL_RESOURCE_ATTRIBUTES") {
            resource.append(.string(key, text))
        }
        resource.removeAll { $0.key == OTelAttribute.service.name && value("OTEL_SERVICE_NAME") != nil }
        if !resource.contains(where: { $0.key == OTelAttribute.service.name }) {
            resource.insert(.string(OTelAttribute.service.name, value("OTEL_SERVICE_NAME") ?? "taas"), at: 0)
        }
        if !resource.contains(where: { $0.key == OTelAttribute.service.version }) {
            resource.append(.string(OTelAttribute.service.version, version))
        }

        if value("OTEL_SDK_DISABLED")?.lowercased() == "true" {
            return TelemetryConfiguration(export: nil, resource: resource)
        }
        let url: URL
        if let option {
            url = try endpointURL(option, variable: "--otlp-endpoint", appendingPath: true)
        } else if let full = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            url = try endpointURL(full, variable: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", appendingPath: false)
        } else if let base = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
            url = try endpointURL(base, variable: "OTEL_EXPORTER_OTLP_ENDPOINT", appendingPath: true)
        } else {
            return TelemetryConfiguration(export: nil, resource: resource)
        }

        let protocolVariable =
            value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") != nil
            ? "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL" : "OTEL_EXPORTER_OTLP_PROTOCOL"
        let protocolText = value(protocolVariable) ?? WireProtocol.protobuf.rawValue
        guard let wireProtocol = WireProtocol(rawValue: protocolText) else {
            throw TelemetryConfigurationError(
                variable: protocolVariable,
                message:
                    "\"\(protocolText)\" is not supported; use http/protobuf or http/json (taas has no gRPC exporter)"
            )
        }
        let headersVariable =
            value("OTEL_EXPORTER_OTLP_TRACES_HEADERS") != nil
            ? "OTEL_EXPORTER_OTLP_TRACES_HEADERS" : "OTEL_EXPORTER_OTLP_HEADERS"
        let headers = try pairs(value(headersVariable), variable: headersVariable).map { (name: $0.0, value: $0.1) }

        var timeout = maximumDelay
        let timeoutVariable =
            value("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT") != nil
            ? "OTEL_EXPORTER_OTLP_TRACES_TIMEOUT" : "OTEL_EXPORTER_OTLP_TIMEOUT"
        if let text = value(timeoutVariable) {
            guard let milliseconds = Int(text), milliseconds > 0 else {
                throw TelemetryConfigurationError(
                    variable: timeoutVariable,
                    message: "expected a positive number of milliseconds, found \"\(text)\""
                )
            }
            timeout = min(.milliseconds(milliseconds), maximumDelay)
        }
        return TelemetryConfiguration(
            export: Export(endpoint: url, wireProtocol: wireProtocol, headers: headers, timeout: timeout),
            resource: resource
        )
    }

    /// An `http` or `https` URL; a base endpoint gets `/v1/traces` unless it already ends so.
    /// - Throws: ``TelemetryConfigurationError`` naming `variable` when `text` is not such a URL.
    public static func endpointURL(
        _ text: String,
        variable: String,
        appendingPath: Bool
    ) throws(TelemetryConfigurationError) -> URL {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", components.host?.isEmpty == false
        else {
            throw TelemetryConfigurationError(
                variable: variable,
                message: "expected an http:// or https:// URL such as http://127.0.0.1:4318, found \"\(text)\""
            )
        }
        var full = components
        if appendingPath, !full.path.hasSuffix("/v1/traces") {
            full.path = (full.path.hasSuffix("/") ? String(full.path.dropLast()) : full.path) + "/v1/traces"
        }
        guard let url = full.url else {
            throw TelemetryConfigurationError(variable: variable, message: "\"\(text)\" is not a valid URL")
        }
        return url
    }

    /// `key=value,key2=value2`, percent-decoded, as the OpenTelemetry variables write lists.
    static func pairs(_ text: String?, variable: String) throws(TelemetryConfigurationError) -> [(String, String)] {
        guard let text else { return [] }
        var result: [(String, String)] = []
        for item in text.split(separator: ",") where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let equals = item.firstIndex(of: "=") else {
                throw TelemetryConfigurationError(
                    variable: variable,
                    message: "expected key=value pairs separated by commas, found \"\(item)\""
                )
            }
            let key = item[..<equals].trimmingCharacters(in: .whitespaces)
            let value = item[item.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw TelemetryConfigurationError(variable: variable, message: "a pair has no key: \"\(item)\"")
            }
            result.append((key.removingPercentEncoding ?? key, value.removingPercentEncoding ?? value))
        }
        return result
    }
}

/// A telemetry setting that cannot be used: the variable (or option) and what was expected.
public struct TelemetryConfigurationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var variable: String
    public var message: String

    public var description: String { "\(variable): \(message)" }
}
