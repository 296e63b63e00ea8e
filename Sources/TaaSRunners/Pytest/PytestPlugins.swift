/// Which pytest plugins may load by themselves: only those of distributions installed outside the
/// workspace (the interpreter's, the venv's or the image's site-packages, made from the scope's
/// declared dependencies). A `*.dist-info` or `*.egg-info` folder inside the workspace declares a
/// `pytest11` entry point that pytest would otherwise auto-load from the current folder, and such a
/// plugin can rewrite every outcome (the JUnit file and pytest's closing line then agree on a forged
/// pass) — so the judged party could turn a failing law into a pass. A refused distribution is named
/// on the step's standard error.
enum PytestPlugins {
    /// Python run before pytest, with the workspace's root as `sys.argv[1]`: hides the distributions found
    /// inside the workspace from `importlib.metadata`, which pluggy and pytest read the `pytest11` entry
    /// points from, for the whole pytest process (plugin loading happens before any test or workspace code
    /// runs). `import pytest` and `sys` are done; the caller adds the call of `pytest.main`.
    static let bootstrap = """
        import importlib.metadata as _metadata, os as _os, sys
        _workspace = _os.path.realpath(sys.argv[1])
        _all_distributions = _metadata.distributions
        _refused = set()
        def _outside_the_workspace(**kwargs):
            for _distribution in _all_distributions(**kwargs):
                try:
                    _where = _os.path.realpath(str(_distribution.locate_file("")))
                except Exception:
                    continue
                if _where != _workspace and not _where.startswith(_workspace + _os.sep):
                    yield _distribution
                elif _where not in _refused and any(e.group == "pytest11" for e in _distribution.entry_points):
                    _refused.add(_where)
                    print("taas: not loading the pytest plugins that a distribution in the workspace declares "
                          "(plugins come only from the scope's environment):", _distribution.metadata["Name"],
                          file=sys.stderr)
        _metadata.distributions = _outside_the_workspace
        import pytest

        """
}
