import Foundation
import NIOCore

/// A file's bytes as an asynchronous sequence of buffers, read one chunk at a time so that a large
/// request body (an image tarball) never sits in memory whole.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    var url: URL
    var chunkSize = 1 << 20

    struct AsyncIterator: AsyncIteratorProtocol {
        let url: URL
        let chunkSize: Int
        var handle: FileHandle?
        var finished = false

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            let handle = try self.handle ?? FileHandle(forReadingFrom: url)
            self.handle = handle
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty {
                finished = true
                try handle.close()
                self.handle = nil
                return nil
            }
            return ByteBuffer(bytes: data)
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(url: url, chunkSize: chunkSize)
    }
}
