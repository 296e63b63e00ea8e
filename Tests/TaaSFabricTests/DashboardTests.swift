import Foundation
import TaaSTesting
import Testing

/// The dashboard in a real headless browser (Debian's chromium through selenium): after one passing
/// and one failing run, its rows show both verdicts; a screenshot is saved.
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
        try await LiveFabric.with { live in
            let workspace = try Scopes.workspace()
            var ids: [String] = []
            for scope in [Scopes.passing, Scopes.failing] {
                let id = try #require(
                    try await live.submit(scope: scope, workspace: workspace).json()["run_id"] as? String
                )
                _ = try await live.events(of: id)
                ids.append(id)
            }
            let screenshot = TestTools.repositoryRoot.appendingPathComponent(".build/test-output/fabric-dashboard.png")
            try FileManager.default.createDirectory(
                at: screenshot.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            let script = """
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
                try:
                    driver.get(sys.argv[1])
                    WebDriverWait(driver, 20).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "tr.run")) >= 2)
                    for row in driver.find_elements(By.CSS_SELECTOR, "tr.run"):
                        print(row.get_attribute("data-run"), row.find_element(By.CSS_SELECTOR, ".verdict").get_attribute("data-verdict"))
                    driver.save_screenshot(sys.argv[2])
                    driver.get(sys.argv[1] + "#/scope/fabric-demo")
                    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#trend path"))
                    print("trend", len(driver.find_elements(By.CSS_SELECTOR, "#cases tr")) - 1)
                finally:
                    driver.quit()
                """
            // In a session of its own (setsid --wait): chromium and chromedriver signal their process group
            // when they end, and in the test's own group that ended the test process itself.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
            process.arguments = [
                "--wait", try #require(TestTools.python).path, "-c", script, "http://127.0.0.1:\(live.port)/",
                screenshot.path,
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(lines.contains("\(ids[0]) pass"))
            #expect(lines.contains("\(ids[1]) fail"))
            #expect(lines.contains("trend 1"))
            #expect(FileManager.default.fileExists(atPath: screenshot.path))
        }
    }
}
