import TaaSCore
import Testing

@Suite struct GlobPatternTests {
    @Test(arguments: [
        ("tests/*.py", "tests/test_a.py", true),
        ("tests/*.py", "tests/unit/test_a.py", false),
        ("tests/**/*.py", "tests/test_a.py", true),
        ("tests/**/*.py", "tests/a/b/test_a.py", true),
        ("**/golden/*.json", "x/y/golden/a.json", true),
        ("*.json", "deep/down/data.json", true),
        ("*.json", "deep/down/data.jsonl", false),
        ("fixtures", "fixtures/a/b.txt", true),
        ("fixtures/", "fixtures/a/b.txt", true),
        ("./data/*.csv", "data/a.csv", true),
        ("data/?.csv", "data/ab.csv", false),
        ("data/[ab].csv", "data/b.csv", true),
        ("src/app", "src/application/x.py", false),
    ])
    func matches(pattern: String, path: String, expected: Bool) {
        #expect(GlobPattern(pattern).matches(path) == expected)
    }
}
