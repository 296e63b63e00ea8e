import Foundation
import TaaSDocker
import Testing

@Suite("TarArchive")
struct TarArchiveTests {
    @Test func readsTheFileOfATarMadeByTar() throws {
        let tar = try DockerTestSupport.makeTar(["hello.txt": "hello from the host\n"])
        let file = try #require(try TarArchive.firstFile(in: tar))
        #expect(file.name == "hello.txt")
        #expect(String(decoding: file.contents, as: UTF8.self) == "hello from the host\n")
    }

    @Test func skipsDirectories() throws {
        let tar = try DockerTestSupport.makeTar(["dir/sub/data.json": "{}"], arguments: ["--format=ustar"])
        let file = try #require(try TarArchive.firstFile(in: tar))
        #expect(file.name == "dir/sub/data.json")
        #expect(file.contents == Data("{}".utf8))
    }

    @Test(arguments: ["--format=pax", "--format=gnu", "--format=ustar"])
    func readsLongNames(_ format: String) throws {
        let name = String(repeating: "a", count: 60) + "/" + String(repeating: "b", count: 80) + ".txt"
        let tar = try DockerTestSupport.makeTar([name: "long"], arguments: [format])
        let file = try #require(try TarArchive.firstFile(in: tar))
        #expect(file.name == name)
        #expect(file.contents == Data("long".utf8))
    }

    @Test func emptyFileAndBadInput() throws {
        let tar = try DockerTestSupport.makeTar(["empty": ""])
        let file = try #require(try TarArchive.firstFile(in: tar))
        #expect(file.name == "empty")
        #expect(file.contents.isEmpty)
        #expect(try TarArchive.firstFile(in: Data()) == nil)
        #expect(try TarArchive.firstFile(in: Data(repeating: 0, count: 1024)) == nil)
        let big = try DockerTestSupport.makeTar(["big": String(repeating: "x", count: 2000)])
        // Truncated inside the file's data: an error, not an empty answer.
        #expect(Self.code { () throws(DockerError) in try TarArchive.firstFile(in: big.prefix(1000)) } == .badResponse)
    }

    // MARK: Impossible sizes (the security review's trap: an overflow crashed the reader)

    /// The error code `body` throws, or `nil`.
    static func code(_ body: () throws(DockerError) -> (name: String, contents: Data)?) -> DockerError.Code? {
        do { _ = try body() } catch { return error.code }
        return nil
    }

    /// A ustar header block: `name`, a raw 12-byte size field, a type flag, and a valid checksum.
    static func header(_ name: String, size field: [UInt8], type: Character = "0") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        block.replaceSubrange(0..<name.utf8.count, with: Array(name.utf8))
        block.replaceSubrange(100..<108, with: Array("0000644\0".utf8))
        block.replaceSubrange(124..<136, with: (field + [UInt8](repeating: 0, count: 12)).prefix(12))
        block[156] = type.asciiValue!
        block.replaceSubrange(257..<265, with: Array("ustar\000".utf8))
        block.replaceSubrange(148..<156, with: [UInt8](repeating: 0x20, count: 8))
        let sum = block.reduce(0) { $0 + Int($1) }
        block.replaceSubrange(148..<156, with: Array(String(format: "%06o", sum).utf8) + [0, 0x20])
        return block
    }

    /// An octal size field.
    static func octal(_ size: Int) -> [UInt8] { Array(String(format: "%011o", size).utf8) + [0] }

    /// `bytes`, padded with NULs to whole blocks.
    static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
    }

    /// A pax extended header (`x`) holding `records` as they are, then a file entry with `content`.
    static func paxArchive(_ records: String, content: String = "data") -> Data {
        let body = Array(records.utf8)
        let bytes =
            header("PaxHeaders/file", size: octal(body.count), type: "x") + padded(body)
            + header("file", size: octal(content.utf8.count)) + padded(Array(content.utf8))
            + [UInt8](repeating: 0, count: 1024)
        return Data(bytes)
    }

    /// One well-formed pax record, `LENGTH KEY=VALUE\n`, whose length counts its own digits.
    static func paxRecord(_ key: String, _ value: String) -> String {
        let rest = " \(key)=\(value)\n".utf8.count
        var length = rest + 1
        while String(length).count + rest != length { length = String(length).count + rest }
        return "\(length) \(key)=\(value)\n"
    }

    @Test(arguments: [
        "-5", "-9223372036854775808", "9223372036854775807", "9223372036854775296", "18446744073709551616", "+4", " 4",
        "4e3", "",
    ])
    func anImpossiblePaxSizeIsAnErrorNotATrap(_ size: String) throws {
        let archive = Self.paxArchive(Self.paxRecord("size", size))
        #expect(Self.code { () throws(DockerError) in try TarArchive.firstFile(in: archive) } == .badResponse)
    }

    @Test func aValidPaxSizeStillApplies() throws {
        #expect(Self.paxRecord("size", "4") == "9 size=4\n")
        let archive = Self.paxArchive(Self.paxRecord("size", "4"))
        let file = try #require(try TarArchive.firstFile(in: archive))
        #expect(file.contents == Data("data".utf8))
    }

    /// Size fields no archive may have, by what is wrong with them.
    static let impossibleSizeFields: [(String, [UInt8])] = [
        ("negative octal", Array("-0000000005\0".utf8)),
        ("not octal", Array("00000000009\0".utf8)),
        ("negative base-256", [0xFF] + [UInt8](repeating: 0xFF, count: 11)),
        ("huge base-256", [0x80, 0x3F] + [UInt8](repeating: 0xFF, count: 10)),
        ("base-256 past the data", [0x80] + [UInt8](repeating: 0, count: 9) + [0x7F, 0xFF]),
        ("octal past the data", Array("77777777777\0".utf8)),
    ]

    @Test(arguments: impossibleSizeFields)
    func anImpossibleHeaderSizeIsAnErrorNotATrap(_ label: String, _ field: [UInt8]) throws {
        let archive = Data(
            Self.header("file", size: field) + Self.padded(Array("data".utf8)) + [UInt8](repeating: 0, count: 1024)
        )
        #expect(
            Self.code { () throws(DockerError) in try TarArchive.firstFile(in: archive) } == .badResponse,
            "\(label)"
        )
    }

    @Test(arguments: [
        "9223372036854775807 path=x\n", "99999999999999999999 path=x\n", "1 path=x\n", "3 x", "0 size=1\n",
    ])
    func aMalformedPaxRecordIsIgnoredNotATrap(_ records: String) throws {
        // The record cannot be read; the file entry after it keeps its own name and size.
        let file = try #require(try TarArchive.firstFile(in: Self.paxArchive(records)))
        #expect(file.name == "file")
        #expect(file.contents == Data("data".utf8))
    }

    @Test func aFileLargerThanTheLimitIsRefused() throws {
        let tar = try DockerTestSupport.makeTar(["big": String(repeating: "x", count: 2000)])
        #expect(Self.code { () throws(DockerError) in try TarArchive.firstFile(in: tar, limit: 1999) } == .tooLarge)
        #expect(try TarArchive.firstFile(in: tar, limit: 2000)?.contents.count == 2000)
    }
}
