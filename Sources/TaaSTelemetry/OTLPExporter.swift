import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one trace to an OTLP/HTTP collector, once, within the configuration's timeout: no retries,
/// no background threads left behind, so that a collector that is down, slow or failing costs a
/// run at most ``TelemetryConfiguration/maximumDelay``.
struct OTLPExporter {
    var export: TelemetryConfiguration.Export

    /// Posts `document`; returns `nil` when the collector accepted it, else why not.
    func send(_ document: OTLPTraceDocument) async -> String? {
        let body: [UInt8]
        switch export.wireProtocol {
        case .protobuf:
            body = OTLPProtobuf.encode(document)
        case .json:
            do { body = Array(try document.jsonData(pretty: false)) } catch {
                return "cannot encode the trace: \(error)"
            }
        }
        var request = HTTPClientRequest(url: export.endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: export.wireProtocol.contentType)
        request.headers.add(name: "User-Agent", value: "maestro-taas")
        for header in export.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(export.timeout.totalNanoseconds)
        do {
            let response = try await HTTPClient.shared.execute(request, deadline: deadline)
            let answer = try await response.body.collect(upTo: 64 * 1024)
            guard (200..<300).contains(Int(response.status.code)) else {
                let text = String(buffer: answer).prefix(200)
                return "the collector at \(export.endpoint.absoluteString) answered \(response.status.code)"
                    + (text.isEmpty ? "" : ": \(text)")
            }
            return nil
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            return "the collector at \(export.endpoint.absoluteString) did not answer within "
                + "\(export.timeout.totalNanoseconds / 1_000_000) ms"
        } catch {
            return "cannot reach the collector at \(export.endpoint.absoluteString): \(error)"
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
