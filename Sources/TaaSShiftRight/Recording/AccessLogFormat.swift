import Foundation

/// The fields of an access log line, in order: the combined format by default, or one named like
/// nginx's `log_format` (`$remote_addr - $remote_user [$time_local] "$request" $status …`).
///
/// A line is cut into tokens: a `[bracketed]` token, a `"quoted"` token (with `\"` escapes) or a
/// bare word. Each token is matched with the field at its position; fields taas does not know are
/// read and ignored.
public struct AccessLogFormat: Sendable, Equatable {
    /// What taas reads from a token.
    public enum Field: String, Sendable, Equatable {
        /// `GET /path?query HTTP/1.1`.
        case request
        /// The method alone.
        case method
        /// The path and query alone.
        case path
        /// The answer's status; `0`, `000` or `-` means no answer.
        case status
        /// `01/Dec/2026:07:03:21 +0000` (nginx `$time_local`) or ISO 8601 (`$time_iso8601`).
        case time
        /// A field taas does not use.
        case ignored
    }

    /// The fields in token order.
    public var fields: [Field]

    public init(fields: [Field]) {
        self.fields = fields
    }

    /// nginx's and Apache's combined format:
    /// `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`.
    /// Lines with fewer tokens (the common format) and more (extra fields at the end) are read too.
    public static let combined = AccessLogFormat(fields: [
        .ignored, .ignored, .ignored, .time, .request, .status, .ignored, .ignored, .ignored,
    ])

    /// A format named like nginx's `log_format` or as a list of field names
    /// (`remote_addr - user [time_local] "request" status bytes`).
    ///
    /// Known names: `request`; `request_method` or `method`; `request_uri`, `uri` or `path`;
    /// `status`; `time_local`, `time_iso8601` or `time`. Any other name (or `-`) is ignored.
    /// - Throws: ``RecordingError`` when the format names neither `request` nor both a method and a path,
    ///   or no status.
    public static func parse(_ text: String) throws(RecordingError) -> AccessLogFormat {
        let names = tokens(of: text) ?? []
        let fields = names.map { raw -> Field in
            let name = raw.trimmingCharacters(in: CharacterSet(charactersIn: "$\"[]")).lowercased()
            switch name {
            case "request": return .request
            case "request_method", "method": return .method
            case "request_uri", "uri", "path", "url": return .path
            case "status": return .status
            case "time_local", "time_iso8601", "time", "timestamp": return .time
            default: return .ignored
            }
        }
        let hasRequest = fields.contains(.request) || (fields.contains(.method) && fields.contains(.path))
        guard hasRequest, fields.contains(.status) else {
            throw RecordingError(
                .malformed,
                file: "--log-format",
                "\"\(text)\" names no request (\"request\", or \"method\" and \"path\") or no \"status\"; "
                    + "name the fields in order, as nginx's log_format does: "
                    + "'$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent'"
            )
        }
        return AccessLogFormat(fields: fields)
    }

    /// What one line of an access log says.
    public enum Line: Sendable, Equatable {
        /// A request: its method, its path and query (or absolute URL), its status (`nil`: no answer), its time.
        case request(method: String, target: String, status: Int?, time: Date?)
        /// A line in the format whose request is not one (`"-"` for a connection closed before a request,
        /// or bytes that are not HTTP, such as a TLS handshake sent to a plain port): nothing to replay.
        case noRequest
    }

    /// What one line says, or `nil` when it does not read in this format.
    public func read(_ line: String) -> Line? {
        guard let tokens = Self.tokens(of: line) else { return nil }
        let required = (fields.lastIndex { $0 != .ignored } ?? 0) + 1
        guard tokens.count >= min(required, fields.count) else { return nil }
        var method: String?
        var target: String?
        var status: Int??
        var time: Date?
        var isRequest = true
        for (field, token) in zip(fields, tokens) {
            switch field {
            case .request:
                let parts = token.split(separator: " ", omittingEmptySubsequences: true)
                if parts.count >= 2, Self.isMethod(parts[0]) {
                    method = String(parts[0])
                    target = String(parts[1])
                } else {
                    isRequest = false
                }
            case .method:
                if Self.isMethod(Substring(token)) { method = token } else { isRequest = false }
            case .path:
                target = token
            case .status:
                if token == "-" || Int(token) == 0 {
                    status = .some(nil)
                } else if let code = Int(token), (100...599).contains(code) {
                    status = .some(code)
                } else {
                    return nil
                }
            case .time:
                time = Self.date(token)
            case .ignored:
                break
            }
        }
        guard let status else { return nil }
        guard isRequest else { return .noRequest }
        guard let method, let target, target.hasPrefix("/") || target.hasPrefix("http") else { return .noRequest }
        return .request(method: method, target: target, status: status, time: time)
    }

    private static func isMethod(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 20 && text.allSatisfy { $0.isASCII && $0.isUppercase }
    }

    /// `[bracketed]`, `"quoted"` (with backslash escapes) and bare tokens; `nil` for an unclosed quote or bracket.
    static func tokens(of line: String) -> [String]? {
        var tokens: [String] = []
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if character == " " || character == "\t" {
                index = line.index(after: index)
                continue
            }
            if character == "\"" {
                var token = ""
                var cursor = line.index(after: index)
                var closed = false
                while cursor < line.endIndex {
                    let next = line[cursor]
                    if next == "\\", line.index(after: cursor) < line.endIndex {
                        cursor = line.index(after: cursor)
                        token.append(line[cursor])
                    } else if next == "\"" {
                        closed = true
                        break
                    } else {
                        token.append(next)
                    }
                    cursor = line.index(after: cursor)
                }
                guard closed else { return nil }
                tokens.append(token)
                index = line.index(after: cursor)
            } else if character == "[" {
                guard let close = line[index...].firstIndex(of: "]") else { return nil }
                tokens.append(String(line[line.index(after: index)..<close]))
                index = line.index(after: close)
            } else {
                let end = line[index...].firstIndex { $0 == " " || $0 == "\t" } ?? line.endIndex
                tokens.append(String(line[index..<end]))
                index = end
            }
        }
        return tokens
    }

    private static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
        if let date = formatter.date(from: text) { return date }
        return RecordingDates.iso8601(text)
    }
}
