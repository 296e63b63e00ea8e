import Foundation

/// An HTTP Archive (HAR 1.2) as browsers, mitmproxy's `mitmdump --set hardump=…` and proxies write it.
///
/// Only the members taas reads are modelled; every other member is ignored when decoding. Members
/// that HAR 1.2 requires but that real tools leave out (`httpVersion`, `cookies`, `headersSize`, …)
/// are optional here, so that a recording from any of them loads.
public struct HAR: Sendable, Decodable {
    public var log: Log

    /// The archive's root object.
    public struct Log: Sendable, Decodable {
        public var version: String?
        public var creator: Creator?
        public var entries: [Entry]
    }

    /// The tool that wrote the archive.
    public struct Creator: Sendable, Decodable {
        public var name: String
        public var version: String?
    }

    /// One request and its answer.
    public struct Entry: Sendable, Decodable {
        /// ISO 8601, such as `2026-12-01T07:03:21.123+00:00`.
        public var startedDateTime: String
        /// Milliseconds from the start of the request to the end of the answer; `-1` when unknown.
        public var time: Double?
        public var request: Request
        public var response: Response
    }

    /// A recorded request.
    public struct Request: Sendable, Decodable {
        public var method: String
        /// The absolute URL, query included.
        public var url: String
        public var httpVersion: String?
        public var headers: [NameValue]
        public var queryString: [NameValue]?
        public var postData: PostData?
    }

    /// A recorded answer. A request that got none has status `0` (HAR's convention).
    public struct Response: Sendable, Decodable {
        public var status: Int
        public var statusText: String?
        public var httpVersion: String?
        public var headers: [NameValue]
        public var content: Content?
    }

    /// A header or query parameter.
    public struct NameValue: Sendable, Decodable, Equatable {
        public var name: String
        public var value: String
    }

    /// A request body.
    public struct PostData: Sendable, Decodable {
        public var mimeType: String?
        public var text: String?
    }

    /// An answer body: `text` as it is, or base64 when `encoding` is `"base64"`.
    public struct Content: Sendable, Decodable {
        public var size: Int?
        public var mimeType: String?
        public var text: String?
        public var encoding: String?
    }
}
