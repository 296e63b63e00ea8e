/// The rules for every pip that taas runs on the host for a scope's dependencies (the venv
/// sandbox's `pip install`, the Docker wheelhouse's `pip download`).
///
/// pip runs as root on the host. A source distribution would be built there by the package's own
/// PEP 517 backend, which is arbitrary code; so pip takes wheels only, and a dependency without a
/// wheel fails with a message that says so (see ``VenvDependencyMessage``). The scope's
/// dependencies are requirement specifiers by name (`RequirementSpecifier` in TaaSCore), so none of
/// them names a path, a URL or an option; they follow `--` on pip's command line all the same.
public enum HostPip {
    /// The options that keep pip from building anything: binary distributions only, for the
    /// dependencies and for everything they depend on (a command-line `:all:` also clears any
    /// `PIP_NO_BINARY` of the host's environment).
    public static let wheelsOnly = ["--only-binary", ":all:"]
}
