import Foundation
import NIOHTTP1
import TaaSTesting
import Testing

/// The dashboard of a real `taas serve` in a real headless browser (Debian's chromium through
/// selenium): after one passing and one failing run, its rows show both verdicts; a screenshot is saved.
@Suite(.serialized) struct DashboardTests {
    static var browserReady: Bool {
        TestTools.python != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    }

    @Test(
        .enabled(
            if: DashboardTests.browserReady,
            "needs chromium-driver (scripts/setup) and selenium (scripts/test-tools)"
        )
    )
    func theRunsPageShowsEachRunWithItsVerdict() async throws {
        // The real `taas serve` as a process: the browser must not wait on a server that this test's
        // process runs, whose threads a synchronous wait of this test may hold (docs/development.md).
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("taas-dash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: data) }
        let server = try ServerProcess(data: data)
        defer { _ = server.terminate() }
        var ids: [String] = []
        for scope in [Scopes.passing, Scopes.failing] {
            ids.append(try await Self.run(scope, port: server.port))
        }
        let screenshot = TestTools.repositoryRoot.appendingPathComponent(".build/test-output/fabric-dashboard.png")
        try FileManager.default.createDirectory(
            at: screenshot.deletingLastPathComponent(),
            withIntermediateDirectories: true
        )
        let script =
            Self.browserPrelude + """
                try:
                    driver.get(sys.argv[1])
                    WebDriverWait(driver, 60).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.run")) >= 2)
                    for row in driver.find_elements(By.CSS_SELECTOR, "tr.run"):
                        print(row.get_attribute("data-run"), row.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"))
                    driver.save_screenshot(sys.argv[2])
                    driver.get(sys.argv[1] + "#/scope/fabric-demo")
                    WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#trend path"))
                    print("trend", len(driver.find_elements(By.CSS_SELECTOR, "#cases tr")) - 1)
                finally:
                    driver.quit()
                """
        let (status, output) = try Self.browse(
            script,
            arguments: ["http://127.0.0.1:\(server.port)/", screenshot.path]
        )
        #expect(status == 0)
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.contains("\(ids[0]) pass"), "\(lines)")
        #expect(lines.contains("\(ids[1]) fail"), "\(lines)")
        #expect(lines.contains("trend 1"), "\(lines)")
        #expect(FileManager.default.fileExists(atPath: screenshot.path))
        #expect(!server.printed.contains("Fatal error"), "\(server.printed)")
    }

    /// Submits `scope` (with the bundled workspace) to the server on `port`, follows its events to
    /// the end and returns the run's id.
    static func run(
        _ scope: String,
        port: Int,
        submitToken: String? = nil,
        readToken: String? = nil
    )
        async throws -> String
    {
        let (contentType, body) = Multipart.form([("scope", Data(scope.utf8)), ("workspace", try Scopes.workspace())])
        let submitted = try await LiveFabric.request(
            port: port,
            .POST,
            "/v1/runs",
            token: submitToken,
            contentType: contentType,
            body: body
        )
        let id = try #require(try submitted.json()["run_id"] as? String, "\(submitted.text)")
        _ = try await LiveFabric.request(port: port, .GET, "/v1/runs/\(id)/events", token: readToken)
        return id
    }

    /// The start of every browser script: headless chromium through chromedriver, as `driver`.
    static let browserPrelude = """
        import sys
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support.ui import WebDriverWait
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1200,700"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

        """

    /// Runs a selenium script with the tools' Python and returns its exit status and stdout. It runs
    /// in a session of its own (setsid --wait), so the browser's processes are a group apart; its
    /// stdout and stderr go to files (stderr quoted on failure), never to the test's own output nor
    /// a pipe (a pipe read that a signal interrupts traps in Foundation).
    static func browse(_ script: String, arguments: [String]) throws -> (status: Int32, stdout: Data) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("taas-browser-\(UUID().uuidString)")
        let output = base.appendingPathExtension("out")
        let errors = base.appendingPathExtension("err")
        for file in [output, errors] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        defer { for file in [output, errors] { try? FileManager.default.removeItem(at: file) } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--wait", try #require(TestTools.python).path, "-c", script] + arguments
        process.standardInput = FileHandle.nullDevice
        let handles = (output: try FileHandle(forWritingTo: output), errors: try FileHandle(forWritingTo: errors))
        defer { for handle in [handles.output, handles.errors] { try? handle.close() } }
        process.standardOutput = handles.output
        process.standardError = handles.errors
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Issue.record("the browser script failed: \((try? String(contentsOf: errors, encoding: .utf8)) ?? "")")
        }
        return (process.terminationStatus, (try? Data(contentsOf: output)) ?? Data())
    }

    @Test(
        .enabled(
            if: DashboardTests.browserReady,
            "needs chromium-driver (scripts/setup) and selenium (scripts/test-tools)"
        )
    )
    func withTokensTheDashboardAsksForOneAndShowsARunsTrace() async throws {
        // The real `taas serve` (it records every run's trace), with a read and a submit token.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("taas-dash-\(UUID().uuidString)")
        let data = folder.appendingPathComponent("data")
        defer { try? FileManager.default.removeItem(at: folder) }
        var tokens: [String: String] = [:]
        for role in ["read", "submit"] {
            let created = try Program.run(
                ServerProcess.taasBinary,
                ["token", "create", "--name", role, "--role", role, "--data", data.path]
            )
            tokens[role] = try #require(
                created.output.split(separator: "\n").last.map(String.init),
                "\(created.output)"
            )
        }
        let server = try ServerProcess(data: data)
        defer { _ = server.terminate() }
        let id = try await Self.run(
            Scopes.failing,
            port: server.port,
            submitToken: tokens["submit"],
            readToken: tokens["read"]
        )
        let run = try await LiveFabric.request(port: server.port, .GET, "/v1/runs/\(id)", token: tokens["read"])
        let traceID = try #require(try run.json()["trace_id"] as? String, "\(run.text)")
        do {
            let script =
                Self.browserPrelude + """
                    try:
                        base = sys.argv[1]
                        driver.get(base)
                        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "form#login"))
                        print("asked")
                        def enter(token):
                            # The page may draw the form more than once (each refused call asks): type into
                            # the form that is there once it has settled.
                            def typed(d):
                                try:
                                    field = d.find_element(By.ID, "token")
                                    field.clear()
                                    field.send_keys(token)
                                    d.find_element(By.CSS_SELECTOR, "form#login button").click()
                                    return True
                                except Exception:
                                    return False
                            WebDriverWait(driver, 60, poll_frequency=0.2).until(typed)
                        enter(sys.argv[2])
                        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.run"))
                        print("rows", len(driver.find_elements(By.CSS_SELECTOR, "tr.run")))
                        # The cookie keeps the token: a new page load is not asked again.
                        driver.get(base + "#/run/" + sys.argv[3])
                        WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.ID, "trace-id"))
                        print("trace", driver.find_element(By.ID, "trace-id").text)
                        print("login form", len(driver.find_elements(By.CSS_SELECTOR, "form#login")))
                    finally:
                        driver.quit()
                    """
            let (status, output) = try Self.browse(
                script,
                arguments: ["http://127.0.0.1:\(server.port)/", tokens["read"]!, id]
            )
            #expect(status == 0)
            let lines = String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(lines.contains("asked"), "\(lines)")
            #expect(lines.contains("rows 1"), "\(lines)")
            #expect(lines.contains("trace \(traceID)"), "\(lines)")
            #expect(lines.contains("login form 0"), "\(lines)")
            #expect(!server.printed.contains("Fatal error"), "\(server.printed)")
        }
    }
}
