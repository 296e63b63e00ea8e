import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// An API answer that is not a success: a status, a message that says what to do, and for an
/// invalid scope every problem with its JSON path (as `taas validate` prints them).
public struct APIError: HTTPResponseError, Sendable {
    /// One problem of a submitted document.
    public struct Problem: Sendable, Codable, Equatable {
        public var path: String
        public var message: String
    }

    public var status: HTTPResponse.Status
    public var message: String
    public var problems: [Problem]
    /// Seconds to wait before trying again (429).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ message: String, problems: [Problem] = [], retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.problems = problems
        self.retryAfter = retryAfter
    }

    private struct Body: Encodable {
        var error: String
        var status: Int
        var problems: [Problem]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(error: message, status: status.code, problems: problems.isEmpty ? nil : problems)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(data: (try? encoder.encode(body)) ?? Data()))
        )
    }
}
