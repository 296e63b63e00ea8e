import Foundation
import TaaSHealer
import Testing

/// Stack traces read from the texts pytest, Python, Go, Node and Swift print.
@Suite struct TraceParserTests {
    let map = WorkspaceMap(files: ["tests/test_calc.py": true, "calc.py": false, "pkg/core.js": false])

    @Test func pytestLongRepresentationWithACodeFrame() {
        let text = """
            def test_add():
            >       assert calc.add(2, 3) == 5

            tests/test_calc.py:5:
            _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _

                def add(a, b):
            >       return a + b + offset
            E       NameError: name 'offset' is not defined

            calc.py:2: NameError
            """
        let trace = TraceParser(workspace: map).parse(text)
        #expect(trace.exceptionType == "NameError")
        #expect(trace.frames.map(\.path) == ["tests/test_calc.py", "calc.py"])
        #expect(trace.frames.map(\.owner) == [.law, .code])
        #expect(trace.frames[1].line == 2 && trace.frames[1].source == "return a + b + offset")
    }

    @Test func pythonTracebackWithSandboxPaths() {
        let text = """
            Traceback (most recent call last):
              File "/workspace/tests/test_calc.py", line 4, in test_add
                assert add(2, 3) == 5
              File "/usr/lib/python3.11/functools.py", line 10, in wrapper
                return f()
              File "/workspace/calc.py", line 2, in add
                return a / 0
            ZeroDivisionError: division by zero
            """
        let trace = TraceParser(workspace: map).parse(text)
        #expect(trace.exceptionType == "ZeroDivisionError")
        #expect(trace.frames.map(\.owner) == [.law, .external, .code])
        #expect(trace.innermostWorkspaceFrame?.path == "calc.py")
        #expect(trace.frames[0].source == "assert add(2, 3) == 5")
    }

    @Test func pytestCollectionErrorNamesTheImport() {
        let text = """
            ImportError while importing test module '/tmp/x/tests/test_calc.py'.
            Traceback:
            /usr/lib/python3.11/importlib/__init__.py:126: in import_module
                return _bootstrap._gcd_import(name[level:], package)
            tests/test_calc.py:1: in <module>
                from calc import add
            E   ImportError: cannot import name 'add' from 'calc' (/tmp/x/calc.py)
            """
        let trace = TraceParser(workspace: map).parse(text)
        #expect(trace.exceptionType == "ImportError")
        #expect(trace.innermostWorkspaceFrame?.path == "tests/test_calc.py")
        #expect(trace.innermostWorkspaceFrame?.function == "<module>")
        #expect(trace.exceptionMessage.contains("cannot import name 'add'"))
    }

    @Test func goNodeAndSwiftFailureLines() {
        let go = TraceParser(workspace: WorkspaceMap(files: ["calc_test.go": true])).parse(
            "--- FAIL: TestAdd (0.00s)\n    calc_test.go:9: Add(2, 3) = -1, want 5\n"
        )
        #expect(go.frames.first?.path == "calc_test.go" && go.frames.first?.line == 9)
        #expect(go.exceptionMessage.contains("want 5"))
        let node = TraceParser(workspace: map).parse(
            "TypeError: x is not a function\n    at run (/work/pkg/core.js:3:9)\n    at node:internal/main:1:1\n"
        )
        #expect(node.exceptionType == "TypeError" && node.frames.first?.path == "pkg/core.js")
        let swift = TraceParser(workspace: WorkspaceMap(files: ["Tests/AppTests/MathTests.swift": true])).parse(
            "/src/Tests/AppTests/MathTests.swift:12: error: -[AppTests.MathTests testAdd] : XCTAssertEqual failed"
        )
        #expect(swift.frames.first?.path == "Tests/AppTests/MathTests.swift" && swift.frames.first?.owner == .law)
    }
}
