import Foundation
import TaaSCore

/// The small driver that runs unittest and writes its JUnit XML.
enum UnittestDriver {
    /// Runs `unittest.main` with a result class that also records each test as JUnit XML.
    /// Arguments: the target, the report's path, then extra unittest arguments.
    static let script = #"""
        import os, re, sys, time, unittest
        from xml.sax.saxutils import escape, quoteattr
        target, report, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
        cases = []
        class Result(unittest.TextTestResult):
            def startTest(self, test):
                self._started = time.monotonic()
                super().startTest(test)
            def _record(self, test, verdict, detail=""):
                base = getattr(test, "test_case", test)
                name = getattr(base, "_testMethodName", None) or str(base)
                if base is not test:
                    name += " " + test._subDescription()
                if type(base).__name__ == "_FailedTest":
                    name = str(getattr(base, "_testMethodName", base))
                classname = type(base).__module__ + "." + type(base).__qualname__
                seconds = time.monotonic() - getattr(self, "_started", time.monotonic())
                cases.append((classname, name, verdict, detail, seconds))
            def addSuccess(self, test):
                super().addSuccess(test); self._record(test, "pass")
            def addFailure(self, test, err):
                super().addFailure(test, err); self._record(test, "failure", self._exc_info_to_string(err, test))
            def addError(self, test, err):
                super().addError(test, err); self._record(test, "error", self._exc_info_to_string(err, test))
            def addSkip(self, test, reason):
                super().addSkip(test, reason); self._record(test, "skipped", reason)
            def addExpectedFailure(self, test, err):
                super().addExpectedFailure(test, err); self._record(test, "pass")
            def addUnexpectedSuccess(self, test):
                super().addUnexpectedSuccess(test); self._record(test, "failure", "unexpected success")
            def addSubTest(self, test, subtest, err):
                super().addSubTest(test, subtest, err)
                if err is not None:
                    kind = "failure" if issubclass(err[0], test.failureException) else "error"
                    self._record(subtest, kind, self._exc_info_to_string(err, test))
        def write():
            lines = ['<?xml version="1.0" encoding="utf-8"?>', "<testsuite name=%s>" % quoteattr(target)]
            for classname, name, verdict, detail, seconds in cases:
                lines.append("<testcase classname=%s name=%s time=\"%.6f\">" % (quoteattr(classname), quoteattr(name), seconds))
                if verdict != "pass":
                    found = [i for i, l in enumerate(detail.splitlines()) if re.match(r"[A-Za-z_][\w.]*: ", l)]
                    tail = detail.splitlines()[found[-1]:] if found else [l for l in detail.splitlines() if l.strip()][-1:]
                    message = "\n".join(tail).strip()[:1000]
                    lines.append("<%s message=%s>%s</%s>" % (verdict, quoteattr(message), escape(detail), verdict))
                lines.append("</testcase>")
            lines.append("</testsuite>")
            with open(report, "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
        arguments = (["discover", "-s", target] if os.path.isdir(target) else [target]) + extra
        runner = unittest.TextTestRunner(verbosity=2, resultclass=Result)
        try:
            program = unittest.main(module=None, argv=["python3 -m unittest"] + arguments, testRunner=runner, exit=False)
        finally:
            write()
        result = program.result
        sys.exit(5 if result.testsRun == 0 else 0 if result.wasSuccessful() else 1)
        """#
}
