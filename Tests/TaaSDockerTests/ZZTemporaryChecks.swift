import Foundation
import Testing
import TaaSDocker

@Suite struct ZZTemporaryChecks {
    @Test func deadlineCoversBody() async throws {
        let client = DockerClient(requestTimeout: .seconds(1))
        let id = try await client.createContainer(spec: ContainerSpec(image: "taas-dockerclient-selftest:tmp", cmd: ["sleep", "30"], hostConfig: .init(networkMode: "none", init: true)))
        try await client.start(id)
        let started = ContinuousClock.now
        do {
            let code = try await client.wait(id)
            print("TEMP wait returned \(code) after \(ContinuousClock.now - started)")
        } catch {
            print("TEMP wait failed after \(ContinuousClock.now - started): \(error.code) \(error)")
        }
        // the client still works afterwards
        try await client.remove(id)
        print("TEMP removed; inspect = \(String(describing: try await client.inspectContainer(id)))")
        await client.shutdown()
    }

    @Test func bigImport() async throws {
        guard let path = ProcessInfo.processInfo.environment["TAAS_BIG_TAR"] else { return }
        let client = DockerClient()
        let started = ContinuousClock.now
        try await client.importImage(tarFile: URL(fileURLWithPath: path), repository: "taas-dockerclient-big", tag: "tmp", changes: [])
        print("TEMP big import took \(ContinuousClock.now - started)")
        try await client.removeImage("taas-dockerclient-big:tmp")
        await client.shutdown()
    }
}
