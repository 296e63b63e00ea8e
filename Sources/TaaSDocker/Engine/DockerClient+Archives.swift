import Foundation
import NIOHTTP1

/// Copying files into and out of containers as tar archives.
extension DockerClient {
    /// The most bytes ``getArchive(_:path:maxBytes:)`` reads unless told otherwise.
    public static let defaultArchiveLimit = 256 << 20

    /// Extracts a tar archive into a container (`PUT /containers/{id}/archive?path=…`). This works on
    /// created containers that have not started yet, but not into a read-only root filesystem (copy into
    /// a volume instead, see ``ContainerSpec/volumes``).
    ///
    /// - Parameters:
    ///   - id: The container's ID or name.
    ///   - path: The folder inside the container to extract into; it must exist.
    ///   - tar: The archive (uncompressed, or compressed with gzip, bzip2 or xz).
    /// - Throws: ``DockerError``; ``DockerError/Code/notFound`` when the container or the folder does not
    ///   exist, ``DockerError/Code/apiError`` when the folder is read-only.
    public func putArchive(_ id: String, path: String, tar: Data) async throws(DockerError) {
        let request = DockerRequest(
            method: .PUT,
            path: "/containers/\(DockerRequest.pathComponent(id))/archive",
            query: [("path", path)],
            body: .tar(tar),
            timeout: requestTimeout
        )
        try ensureSuccess(await send(request), request)
    }

    /// Copies a file or folder out of a container as a tar archive (`GET /containers/{id}/archive?path=…`).
    /// Read a single file from it with ``TarArchive/firstFile(in:limit:)``.
    ///
    /// - Parameters:
    ///   - id: The container's ID or name.
    ///   - path: The file or folder inside the container.
    ///   - maxBytes: The largest archive accepted.
    /// - Returns: The archive, or nil when the container or the path does not exist.
    /// - Throws: ``DockerError``; ``DockerError/Code/tooLarge`` when the archive is larger than `maxBytes`.
    public func getArchive(
        _ id: String,
        path: String,
        maxBytes: Int = defaultArchiveLimit
    ) async throws(DockerError) -> Data? {
        let request = DockerRequest(
            method: .GET,
            path: "/containers/\(DockerRequest.pathComponent(id))/archive",
            query: [("path", path)],
            timeout: requestTimeout
        )
        let response = try await send(request, maxBytes: maxBytes)
        if response.status == 404 { return nil }
        try ensureSuccess(response, request)
        return response.body
    }
}
