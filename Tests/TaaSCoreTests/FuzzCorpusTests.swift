import Foundation
import TaaSCore
import Testing

/// The fuzzer's committed corpus (`fuzz/corpus`), replayed under the fuzzer's rules on every test
/// run: inputs that once found new paths in the decoder, and every input that ever crashed it (none
/// so far; a crash found by `fuzz/run` is added there, and so becomes a regression test).
@Suite struct FuzzCorpusTests {
    static var corpus: [URL] {
        let folder = Fixtures.url("fuzz/corpus")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test func theCorpusIsThere() {
        #expect(Self.corpus.count >= 5)
    }

    @Test(arguments: corpus)
    func everyInputIsAnsweredAcceptedOrRejectedWithAPath(_ file: URL) throws {
        let result = ScopeReader.read(try Data(contentsOf: file))
        let errors = result.issues.filter { $0.severity == .error }
        if let scope = result.scope {
            #expect(errors.isEmpty)
            #expect(Set(scope.scenarios.map(\.id)).count == scope.scenarios.count)
        } else {
            #expect(!errors.isEmpty, "\(file.lastPathComponent) was rejected without an error")
            for error in errors {
                #expect(!error.path.description.isEmpty && !error.message.isEmpty, "\(error)")
            }
        }
    }
}
