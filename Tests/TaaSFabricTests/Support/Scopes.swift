import Foundation

/// Small, fast scopes: one `command` scenario in the jail sandbox over a one-file workspace.
enum Scopes {
    /// Passes: the workspace's file is there.
    static let passing =
        #"{"scope_id": "fabric-demo", "scenarios": [{"id": "CMD-001", "command": "grep -q hello hello.txt"}]}"#
    /// Fails: the file does not say bye.
    static let failing =
        #"{"scope_id": "fabric-demo", "scenarios": [{"id": "CMD-001", "command": "grep -q bye hello.txt"}]}"#
    /// Takes `seconds` (to be cancelled or killed while it runs); its teardown leaves a mark in the log.
    static func slow(_ seconds: Int, id: String = "fabric-slow") -> String {
        #"{"scope_id": "\#(id)", "lifecycle": {"teardown": ["echo teardown-ran"]}, "scenarios": [{"id": "CMD-001", "command": "sleep \#(seconds)"}]}"#
    }

    /// A run that waits until the file `go` appears in its workspace copy (see
    /// `WaitingRun.release(_:)`): it is surely still running whenever the test looks, however
    /// loaded the machine.
    static func waiting(id: String) -> String {
        #"{"scope_id": "\#(id)", "lifecycle": {"teardown": ["echo teardown-ran"]}, "scenarios": [{"id": "CMD-001", "command": "while [ ! -e go ]; do sleep 0.1; done", "timeout_seconds": 600}]}"#
    }

    static func workspace() throws -> Data { try Archives.tarGz(["hello.txt": "hello\n"]) }
}
