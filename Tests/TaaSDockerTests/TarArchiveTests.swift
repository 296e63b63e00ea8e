import Foundation
import Testing
import TaaSDocker

@Suite("TarArchive")
struct TarArchiveTests {
    @Test func readsTheFileOfATarMadeByTar() throws {
        let tar = try DockerTestSupport.makeTar(["hello.txt": "hello from the host\n"])
        let file = try #require(TarArchive.firstFile(in: tar))
        #expect(file.name == "hello.txt")
        #expect(String(decoding: file.contents, as: UTF8.self) == "hello from the host\n")
    }

    @Test func skipsDirectories() throws {
        let tar = try DockerTestSupport.makeTar(["dir/sub/data.json": "{}"], arguments: ["--format=ustar"])
        let file = try #require(TarArchive.firstFile(in: tar))
        #expect(file.name == "dir/sub/data.json")
        #expect(file.contents == Data("{}".utf8))
    }

    @Test(arguments: ["--format=pax", "--format=gnu", "--format=ustar"])
    func readsLongNames(_ format: String) throws {
        let name = String(repeating: "a", count: 60) + "/" + String(repeating: "b", count: 80) + ".txt"
        let tar = try DockerTestSupport.makeTar([name: "long"], arguments: [format])
        let file = try #require(TarArchive.firstFile(in: tar))
        #expect(file.name == name)
        #expect(file.contents == Data("long".utf8))
    }

    @Test func emptyFileAndBadInput() throws {
        let tar = try DockerTestSupport.makeTar(["empty": ""])
        let file = try #require(TarArchive.firstFile(in: tar))
        #expect(file.name == "empty")
        #expect(file.contents.isEmpty)
        #expect(TarArchive.firstFile(in: Data()) == nil)
        #expect(TarArchive.firstFile(in: Data(repeating: 0, count: 1024)) == nil)
        let big = try DockerTestSupport.makeTar(["big": String(repeating: "x", count: 2000)])
        #expect(TarArchive.firstFile(in: big.prefix(1000)) == nil)  // truncated inside the file's data
    }
}
