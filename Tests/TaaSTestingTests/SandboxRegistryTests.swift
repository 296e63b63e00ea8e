import TaaSCore
import TaaSEngine
import TaaSTesting
import Testing

/// The sandboxes describe themselves; the registry chooses by kind and checks consent once.
@Suite struct SandboxRegistryTests {
    @Test func theStandardSandboxesDescribeThemselves() throws {
        let registry = SandboxRegistry.standard
        #expect(registry.kinds == ["docker", "jail", "local", "venv"])
        let described = try registry.kinds.map { kind in
            let sandbox = try #require(registry.sandbox(kind: kind))
            return "\(sandbox.kind) installs=\(sandbox.installsDependencies) isolates=\(sandbox.isolates)"
        }
        #expect(
            described == [
                "docker installs=true isolates=true", "jail installs=false isolates=true",
                "local installs=false isolates=false", "venv installs=true isolates=true",
            ]
        )
    }

    @Test func aSandboxThatDoesNotIsolateIsAdmittedOnlyWithConsent() throws {
        #expect(throws: SandboxError.self) { try SandboxRegistry.standard.resolve(kind: "local", allowUnsafe: false) }
        #expect(try SandboxRegistry.standard.resolve(kind: "local", allowUnsafe: true).kind == "local")
        #expect(try SandboxRegistry.standard.resolve(kind: "jail", allowUnsafe: false).kind == "jail")
    }

    @Test func anUnknownKindNamesTheRegisteredOnes() {
        let error = #expect(throws: SandboxError.self) {
            try SandboxRegistry.standard.resolve(kind: "vm", allowUnsafe: true)
        }
        #expect(error?.message.contains(#"expected one of "docker", "jail", "local", "venv""#) == true)
    }

    @Test func anAddedSandboxIsChosenByItsKindAndReplacesOneOfTheSameKind() throws {
        let registry = SandboxRegistry.standard.adding(FakeSandbox()).adding(FakeSandbox(kind: "jail", isolates: false))
        #expect(registry.kinds == ["docker", "fake", "jail", "local", "venv"])
        #expect(try registry.resolve(kind: "fake", allowUnsafe: false) is FakeSandbox)
        #expect(throws: SandboxError.self) { try registry.resolve(kind: "jail", allowUnsafe: false) }
    }
}
