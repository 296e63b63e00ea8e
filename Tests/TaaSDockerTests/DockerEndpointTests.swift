import Testing

@testable import TaaSDocker

@Suite("DockerEndpoint")
struct DockerEndpointTests {
    @Test func defaultSocket() {
        #expect(DockerEndpoint.default.socketPath == "/var/run/docker.sock")
        #expect(DockerEndpoint.default.description == "unix:///var/run/docker.sock")
    }

    @Test func unixSocketValuesAreAccepted() throws {
        #expect(try DockerEndpoint(dockerHost: "unix:///var/run/docker.sock") == .default)
        #expect(
            try DockerEndpoint(dockerHost: "unix:///run/user/1000/docker.sock").socketPath
                == "/run/user/1000/docker.sock"
        )
        #expect(try DockerEndpoint(dockerHost: "  unix:///tmp/d.sock ").description == "unix:///tmp/d.sock")
        #expect(try DockerEndpoint(dockerHost: "") == .default)
    }

    @Test(arguments: [
        "tcp://127.0.0.1:2375", "ssh://user@host", "npipe:////./pipe/docker_engine", "/var/run/docker.sock",
    ])
    func otherSchemesAreUnsupported(_ value: String) {
        #expect {
            try DockerEndpoint(dockerHost: value)
        } throws: { error in
            guard let error = error as? DockerError else { return false }
            return error.code == .unsupported && error.message.contains(value) && error.message.contains("unix://")
        }
    }

    @Test func relativeAndOverlongPathsAreUnsupported() {
        #expect(throws: DockerError.self) { try DockerEndpoint(dockerHost: "unix://docker.sock") }
        #expect(throws: DockerError.self) { try DockerEndpoint(dockerHost: "unix://") }
        let long = "unix:///" + String(repeating: "d", count: 120)
        #expect(throws: DockerError.self) { try DockerEndpoint(dockerHost: long) }
    }

    @Test func environment() throws {
        #expect(try DockerEndpoint.fromEnvironment([:]) == .default)
        #expect(try DockerEndpoint.fromEnvironment(["DOCKER_HOST": "unix:///x/d.sock"]).socketPath == "/x/d.sock")
        #expect(throws: DockerError.self) { try DockerEndpoint.fromEnvironment(["DOCKER_HOST": "tcp://h:2376"]) }
    }
}
