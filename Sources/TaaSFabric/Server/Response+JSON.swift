import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationCompat

extension Response {
    /// A JSON response of `value` (sorted keys, so answers are stable).
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var fields = headers
        fields[.contentType] = "application/json"
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    /// A file's bytes with `contentType`.
    static func file(_ url: URL, contentType: String) throws(APIError) -> Response {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw APIError(.notFound, "no such file: \(url.lastPathComponent)")
        }
        return Response(
            status: .ok,
            headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(data: data))
        )
    }
}
