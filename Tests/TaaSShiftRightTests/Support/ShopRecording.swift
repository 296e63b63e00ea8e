import Foundation
import TaaSTesting
import Testing

/// A genuine recording of the sample shop: `shop.py --build good` on a free loopback port,
/// mitmproxy's `mitmdump` in front of it as a reverse proxy writing a HAR, and real traffic sent
/// through it (GET /orders/1, GET /orders/2, POST /orders with JSON, GET /search?q=tea, GET /health).
struct ShopRecording {
    /// The folder of the recording, its logs and a copy of `shop.py`.
    let folder: URL
    /// The HAR that mitmdump wrote when it was stopped.
    let har: URL

    /// `Fixtures/shop/shop.py`.
    static let shop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/shop/shop.py")

    /// The requests sent through the proxy, with Python's `http.client` (which never uses a proxy
    /// from the environment).
    static let traffic = """
        import http.client, json, sys
        port = int(sys.argv[1])
        def send(method, path, body=None):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            headers = {"Accept": "application/json"}
            if body is not None:
                headers["Content-Type"] = "application/json"
            connection.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
            answer = connection.getresponse()
            answer.read()
            print(method, path, answer.status, flush=True)
            connection.close()
        send("GET", "/orders/1")
        send("GET", "/orders/2")
        send("POST", "/orders", {"item": "tea", "quantity": 2})
        send("GET", "/search?q=tea")
        send("GET", "/health")
        """

    /// Gives SIGINT and SIGTERM back their default action and unblocks them (a child of a test's
    /// thread inherits its blocked signals; a background child of a shell ignores SIGINT), then runs
    /// the program, so that mitmdump ends, and writes its HAR, on SIGINT.
    static let unblocking = """
        import os, signal, sys
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, [])
        os.execv(sys.argv[1], sys.argv[1:])
        """

    /// mitmproxy's `mitmdump` (see ``TestTools/mitmdump``).
    static var mitmdump: URL? { TestTools.mitmdump }

    /// Records the traffic into `folder/traffic.har`.
    init(in folder: URL) throws {
        let mitmdump = try #require(
            Self.mitmdump,
            "run scripts/test-tools: mitmproxy>=10's mitmdump is needed (or name one in TAAS_TEST_MITMDUMP)"
        )
        self.folder = folder
        har = folder.appendingPathComponent("traffic.har")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let shopPort = try LoopbackPort.free()
        let shop = try OwnedProcess(
            "/usr/bin/python3",
            [Self.shop.path, String(shopPort), "--build", "good"],
            log: folder.appendingPathComponent("shop.log")
        )
        try Self.wait(for: shopPort, what: "shop.py", process: shop)
        let proxyPort = try LoopbackPort.free()
        let proxy = try OwnedProcess(
            "/usr/bin/python3",
            [
                "-c", Self.unblocking, mitmdump.path, "-q", "--mode", "reverse:http://127.0.0.1:\(shopPort)",
                "--listen-host", "127.0.0.1", "--listen-port", String(proxyPort), "--set", "hardump=\(har.path)",
                "--set", "confdir=\(folder.appendingPathComponent("mitmproxy").path)",
            ],
            log: folder.appendingPathComponent("mitmdump.log")
        )
        try Self.wait(for: proxyPort, what: "mitmdump", process: proxy)
        let script = folder.appendingPathComponent("traffic.py")
        try Self.traffic.write(to: script, atomically: true, encoding: .utf8)
        let sent = try OwnedProcess.run("/usr/bin/python3", [script.path, String(proxyPort)])
        #expect(sent.status == 0, "the traffic: \(sent.output)")
        // mitmdump writes the HAR as it exits, on SIGINT.
        let stopped = proxy.signal(SIGINT, waitingUpTo: 30)
        try #require(stopped, "mitmdump did not end on SIGINT: \(proxy.output)")
        try #require(FileManager.default.fileExists(atPath: har.path), "no HAR; mitmdump said: \(proxy.output)")
        withExtendedLifetime(shop) {}
    }

    private static func wait(for port: Int, what: String, process: OwnedProcess) throws {
        let deadline = Date().addingTimeInterval(60)
        while !LoopbackPort.isOpen(port) {
            guard process.process.isRunning, Date() < deadline else {
                throw RecordingFailure(description: "\(what) is not listening on \(port): \(process.output)")
            }
            usleep(100_000)
        }
    }

    struct RecordingFailure: Error, CustomStringConvertible { var description: String }
}
