import Foundation
import NIOHTTP1

/// Images: inspect, pull, import and remove.
extension DockerClient {
    /// What the engine knows about a local image (`GET /images/{name}/json`).
    ///
    /// - Parameter name: An image name (`python:3.11-slim`) or ID.
    /// - Returns: The image, or nil when the engine has no such image.
    /// - Throws: ``DockerError`` when the engine cannot be reached or answers with another error.
    public func imageInspect(_ name: String) async throws(DockerError) -> ImageInfo? {
        let request = DockerRequest(
            method: .GET,
            path: "/images/\(DockerRequest.pathComponent(name))/json",
            timeout: requestTimeout
        )
        let response = try await send(request)
        if response.status == 404 { return nil }
        return try decode(ImageInfo.self, from: response, request)
    }

    /// Pulls an image from its registry (`POST /images/create?fromImage=…&tag=…`), waiting until the
    /// engine has it. The deadline is ``transferTimeout``.
    ///
    /// - Parameter name: The image reference, such as `python:3.11-slim`, `registry:5000/team/app:1.2` or
    ///   `app@sha256:…`; the tag defaults to `latest`.
    /// - Throws: ``DockerError``; ``DockerError/Code/apiError`` when the engine reports a failure in its
    ///   progress stream (no such image in the registry, registry unreachable, disk full).
    public func pullImage(_ name: String) async throws(DockerError) {
        let (repository, tag) = Self.splitImageReference(name)
        let request = DockerRequest(
            method: .POST,
            path: "/images/create",
            query: [("fromImage", repository), ("tag", tag)],
            timeout: transferTimeout
        )
        try await sendExpectingProgress(request, what: "pulling image \(name)")
    }

    /// Imports a root filesystem tarball as an image (`POST /images/create?fromSrc=-`), streaming the file
    /// so that it never sits in memory whole. The deadline is ``transferTimeout``.
    ///
    /// An imported image has no configuration: set `PATH`, `CMD` and the like with `changes`.
    ///
    /// - Parameters:
    ///   - tarFile: The tarball (uncompressed, or compressed with gzip, bzip2 or xz).
    ///   - repository: The new image's repository, such as `taas-test-base`.
    ///   - tag: The new image's tag, such as `latest`.
    ///   - changes: Dockerfile instructions applied to the image, such as `ENV LANG=C.UTF-8` or
    ///     `CMD ["python3"]`.
    /// - Throws: ``DockerError``; ``DockerError/Code/notFound`` when the tarball cannot be read,
    ///   ``DockerError/Code/apiError`` when the engine rejects it.
    public func importImage(
        tarFile: URL,
        repository: String,
        tag: String,
        changes: [String] = []
    ) async throws(DockerError) {
        let size: Int
        do {
            let values = try tarFile.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            guard values.isRegularFile == true, let fileSize = values.fileSize else {
                throw CocoaError(.fileReadUnknown)
            }
            size = fileSize
            guard FileManager.default.isReadableFile(atPath: tarFile.path) else {
                throw CocoaError(.fileReadNoPermission)
            }
        } catch {
            throw DockerError(
                .notFound,
                "cannot read the image tarball \(tarFile.path) (\(error)); check the path and its permissions",
                cause: error
            )
        }
        let query = [("fromSrc", "-"), ("repo", repository), ("tag", tag)] + changes.map { ("changes", $0) }
        let request = DockerRequest(
            method: .POST,
            path: "/images/create",
            query: query.map { (name: $0.0, value: $0.1) },
            body: .tarFile(tarFile, size: Int64(size)),
            timeout: transferTimeout
        )
        try await sendExpectingProgress(request, what: "importing \(tarFile.path) as \(repository):\(tag)")
    }

    /// Removes a local image (`DELETE /images/{name}`). An image that does not exist is not an error.
    ///
    /// - Parameters:
    ///   - name: An image name or ID.
    ///   - force: Whether to remove it even when stopped containers use it, or it has several tags.
    /// - Throws: ``DockerError`` with code ``DockerError/Code/conflict`` when a container uses the image.
    public func removeImage(_ name: String, force: Bool = false) async throws(DockerError) {
        let request = DockerRequest(
            method: .DELETE,
            path: "/images/\(DockerRequest.pathComponent(name))",
            query: [("force", force ? "1" : "0")],
            timeout: requestTimeout
        )
        let response = try await send(request)
        if response.status == 404 { return }
        try ensureSuccess(response, request)
    }

    /// Splits `name[:tag]` or `name@digest` into what `fromImage` and `tag` expect; the tag defaults to
    /// `latest`. A colon before the last `/` belongs to a registry's port.
    static func splitImageReference(_ reference: String) -> (repository: String, tag: String) {
        if let at = reference.firstIndex(of: "@") {
            return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
        }
        let lastSlash = reference.lastIndex(of: "/")
        if let colon = reference.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            return (String(reference[..<colon]), String(reference[reference.index(after: colon)...]))
        }
        return (reference, "latest")
    }
}
