import Foundation
import TaaSCore

/// Starts a service and waits until its readiness probe answers.
struct ServiceStarter {
    /// How often a probe is repeated while waiting.
    static let probeInterval: Duration = .milliseconds(100)

    /// Starts `service`; returns its handle and whether (and when) it became ready.
    func start(
        _ service: Service,
        in sandbox: any SandboxInstance
    ) async throws(SandboxError) -> (
        step: any BackgroundStep, result: ServiceResult
    ) {
        let clock = ContinuousClock()
        let started = clock.now
        let step = try await sandbox.start(
            .shell(service.command, label: "service-\(service.name)", timeout: .seconds(7 * 24 * 3600), lifetime: .step)
        )
        func result(ready: Bool, message: String?) -> ServiceResult {
            ServiceResult(
                name: service.name,
                command: service.command,
                ready: ready,
                readyAfterMS: ready ? DurationText.milliseconds(clock.now - started) : nil,
                message: message
            )
        }
        guard let readiness = service.readiness else { return (step, result(ready: true, message: nil)) }
        let deadline = started + readiness.timeout
        var lastDetail = "no probe answered yet"
        let pattern = Self.logPattern(readiness.probe)
        while true {
            if let exit = await step.exitOutcome() {
                return (
                    step, result(ready: false, message: "the service ended before it was ready (\(exit.summary()))")
                )
            }
            switch readiness.probe {
            case .log:
                let output = await step.outputSoFar()
                if let pattern,
                    output.split(separator: "\n", omittingEmptySubsequences: true).contains(where: {
                        (try? pattern.firstMatch(in: String($0))) != nil
                    })
                {
                    return (step, result(ready: true, message: nil))
                }
                lastDetail = "no line of its output matched the pattern yet"
            case .http, .tcp:
                guard let probe = Self.networkProbe(readiness.probe) else {
                    return (step, result(ready: false, message: "the readiness URL cannot be probed"))
                }
                let answer = try await sandbox.probe(probe)
                if answer.ok { return (step, result(ready: true, message: nil)) }
                lastDetail = answer.detail
            }
            if clock.now >= deadline {
                return (
                    step,
                    result(
                        ready: false,
                        message:
                            "not ready after \(DurationText.describe(readiness.timeout)); last check: \(lastDetail)"
                    )
                )
            }
            do { try await Task.sleep(for: Self.probeInterval) } catch {
                return (step, result(ready: false, message: "interrupted while waiting for the service"))
            }
        }
    }

    private static func logPattern(_ probe: Readiness.Probe) -> Regex<AnyRegexOutput>? {
        if case .log(let pattern) = probe { return try? Regex(pattern) }
        return nil
    }

    /// The in-sandbox network check for an `http` or `tcp` probe.
    static func networkProbe(_ probe: Readiness.Probe) -> NetworkProbe? {
        switch probe {
        case .tcp(let port):
            return NetworkProbe(kind: .tcp, host: "127.0.0.1", port: port)
        case .http(let url):
            guard let components = URLComponents(string: url), let host = components.host else { return nil }
            let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
            let query = components.percentEncodedQuery.map { "?\($0)" } ?? ""
            let bareHost = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
            return NetworkProbe(kind: .http, host: bareHost, port: components.port ?? 80, path: path + query)
        case .log:
            return nil
        }
    }
}
