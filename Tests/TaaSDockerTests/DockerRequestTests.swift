import Foundation
import NIOHTTP1
import Testing

@testable import TaaSDocker

@Suite("Docker client internals")
struct DockerRequestTests {
    @Test func apiVersionsCompareNumerically() throws {
        let v = { (text: String) throws -> DockerAPIVersion in try #require(DockerAPIVersion(text)) }
        #expect(try v("1.9") < v("1.41"))
        #expect(try v("1.41") < v("1.43"))
        #expect(try v("2.0") > v("1.99"))
        #expect(try min(v("1.45"), DockerAPIVersion.newestSupported).description == "1.43")
        #expect(try min(v("1.41"), DockerAPIVersion.newestSupported).description == "1.41")
        #expect(DockerAPIVersion("1") == nil)
        #expect(DockerAPIVersion("1.x") == nil)
        #expect(DockerAPIVersion("") == nil)
    }

    @Test func queryValuesArePercentEncoded() {
        var request = DockerRequest(method: .GET, path: "/containers/json", timeout: .seconds(1))
        request.query = [("filters", #"{"label":["taas.run=a b&c"]}"#), ("changes", "CMD [\"python3\"]")]
        #expect(
            request.uri(apiVersion: "1.41")
                == "/v1.41/containers/json?filters=%7B%22label%22%3A%5B%22taas.run%3Da%20b%26c%22%5D%7D"
                + "&changes=CMD%20%5B%22python3%22%5D"
        )
        let ping = DockerRequest(method: .GET, path: "/_ping", timeout: .seconds(1), versioned: false)
        #expect(ping.uri(apiVersion: "1.41") == "/_ping")
        #expect(DockerRequest.pathComponent("registry:5000/team/app@sha256:ab") == "registry:5000/team/app@sha256:ab")
        #expect(DockerRequest.pathComponent("a b?c") == "a%20b%3Fc")
    }

    @Test func imageReferencesAreSplitIntoRepositoryAndTag() {
        let split = DockerClient.splitImageReference
        #expect(split("python:3.11-slim") == ("python", "3.11-slim"))
        #expect(split("python") == ("python", "latest"))
        #expect(split("localhost:5000/team/app") == ("localhost:5000/team/app", "latest"))
        #expect(split("localhost:5000/team/app:1.2") == ("localhost:5000/team/app", "1.2"))
        #expect(split("app@sha256:abc") == ("app", "sha256:abc"))
    }

    @Test func progressStreamErrorsAreFound() {
        var stream = DockerProgressStream()
        stream.consume(Array(#"{"status":"Pulling from library/x"}"#.utf8) + [10])
        stream.consume(Array(#"{"errorDetail":{"message":"manifest unknown"},"#.utf8))
        stream.consume(Array(#""error":"manifest unknown"}"#.utf8) + [10])
        stream.finish()
        #expect(stream.error == "manifest unknown")
        #expect(stream.lastStatus == "Pulling from library/x")

        var imported = DockerProgressStream()
        imported.consume(Array(#"{"status":"sha256:1234"}"#.utf8))
        imported.finish()
        #expect(imported.error == nil)
        #expect(imported.lastStatus == "sha256:1234")
    }

    @Test func containerSpecUsesDockersJSONShape() throws {
        let spec = ContainerSpec(
            image: "taas-test-base",
            cmd: ["sleep", "5"],
            env: ["A=1"],
            labels: ["taas.run": "r1"],
            volumes: ["/workspace"],
            networkDisabled: true,
            hostConfig: .init(
                networkMode: "none",
                capDrop: ["ALL"],
                securityOpt: ["no-new-privileges"],
                pidsLimit: 256,
                memory: 512 << 20,
                memorySwap: 512 << 20,
                nanoCpus: 1_000_000_000,
                readonlyRootfs: true,
                tmpfs: ["/tmp": "rw,size=64m"],
                binds: ["/a:/b:ro"],
                init: true,
                autoRemove: false
            )
        )
        let data = try JSONEncoder().encode(spec)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["Image"] as? String == "taas-test-base")
        #expect(json["Cmd"] as? [String] == ["sleep", "5"])
        #expect(json["Entrypoint"] == nil)
        #expect((json["Volumes"] as? [String: Any])?.keys.sorted() == ["/workspace"])
        #expect(json["NetworkDisabled"] as? Bool == true)
        let host = try #require(json["HostConfig"] as? [String: Any])
        #expect(host["NetworkMode"] as? String == "none")
        #expect(host["CapDrop"] as? [String] == ["ALL"])
        #expect(host["PidsLimit"] as? Int == 256)
        #expect(host["Memory"] as? Int == 512 << 20)
        #expect(host["NanoCpus"] as? Int == 1_000_000_000)
        #expect(host["ReadonlyRootfs"] as? Bool == true)
        #expect(host["Tmpfs"] as? [String: String] == ["/tmp": "rw,size=64m"])
        #expect(host["Init"] as? Bool == true)
        #expect(host["AutoRemove"] as? Bool == false)
        #expect(try JSONDecoder().decode(ContainerSpec.self, from: data) == spec)

        let minimal = try JSONSerialization.jsonObject(with: JSONEncoder().encode(ContainerSpec(image: "x")))
        #expect((minimal as? [String: Any])?.keys.sorted() == ["Image"])
    }

    @Test func engineAnswersAreDecoded() throws {
        let image = #"{"Id":"sha256:1","RepoTags":null,"Config":{"Env":["PATH=/bin"],"Labels":null,"Cmd":null}}"#
        let info = try JSONDecoder().decode(ImageInfo.self, from: Data(image.utf8))
        #expect(info == ImageInfo(id: "sha256:1", repoTags: [], labels: [:], env: ["PATH=/bin"], cmd: nil))
        let bare = try JSONDecoder().decode(ImageInfo.self, from: Data(#"{"Id":"sha256:2","Config":null}"#.utf8))
        #expect(bare.env.isEmpty)

        let state = #"{"State":{"Status":"exited","Running":false,"ExitCode":137,"OOMKilled":true,"Pid":0,"Error":""}}"#
        let decoded = try JSONDecoder().decode(ContainerInspectResponse.self, from: Data(state.utf8)).state
        #expect(decoded == ContainerState(status: "exited", running: false, exitCode: 137, oomKilled: true, pid: 0))

        let list = #"[{"Id":"abc","Names":["/taas-1"],"Image":"x","Labels":{"k":"v"},"State":"running"}]"#
        let summaries = try JSONDecoder().decode([ContainerSummary].self, from: Data(list.utf8))
        #expect(
            summaries == [
                ContainerSummary(id: "abc", names: ["taas-1"], image: "x", labels: ["k": "v"], state: "running")
            ]
        )
    }
}
