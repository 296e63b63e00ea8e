/// A taas-owned pytest plugin that watches, from inside the pytest process, two ways the code under
/// test can change the law while it runs:
///
/// - a function or class method of a law module (a collected test file, a `conftest.py`, or a module
///   in the folders of the collected test files, such as `tests/helpers.py`) rebound to, or given the
///   code of, a function written in a workspace file that is not law (an assertion helper monkeypatched
///   by the code under test), checked after every test and at the end;
/// - a pytest plugin registered at run time whose class or module is defined in such a file (the
///   plugin manager found through `gc` and given a plugin that rewrites outcomes).
///
/// Each finding is written to the process's standard error (file descriptor 2, not pytest's capture)
/// as `taas law guard: …` when pytest ends, and ``PytestRules`` makes the scenario `error` with it.
/// Decorators that keep `__wrapped__` are seen through; code from outside the workspace (mock, pytest)
/// is never foreign. It shares the process with the code under test, which can still disable it: the
/// guard closes the cheap doors, not the in-process one (see docs/security.md, the threat model).
enum PytestLawGuard {
    /// The name of the finding's lines on standard error.
    static let marker = "taas law guard: "

    /// Python defining `_TaasLawGuard(workspace)`, after ``PytestPlugins/bootstrap``.
    static let script = """
        import ast as _ast, inspect as _inspect, os as _os, sys as _sys
        class _TaasLawGuard:
            def __init__(self, workspace):
                self.workspace = workspace
                self.problems = []
                self.law_files = set()
                self.law_folders = set()
                self.plugins = None
                self.names = {}
                self.seen = {}
                self.foreign = {}
                self.verified = {}
            def _inside(self, path):
                return path == self.workspace or path.startswith(self.workspace + _os.sep)
            def _is_law(self, path):
                if path in self.law_files or _os.path.basename(path) == "conftest.py":
                    return True
                folder = _os.path.dirname(path)
                return any(folder == law or folder.startswith(law + _os.sep) for law in self.law_folders)
            def _foreign(self, code_file):
                if code_file not in self.foreign:
                    path = _os.path.realpath(code_file)
                    self.foreign[code_file] = self._inside(path) and not self._is_law(path)
                return self.foreign[code_file]
            def _note(self, problem):
                if problem not in self.problems:
                    self.problems.append(problem)
            def _definitions(self, path):
                if path not in self.names:
                    try:
                        with open(path, "rb") as source:
                            tree = _ast.parse(source.read())
                    except Exception:
                        tree = _ast.Module(body=[], type_ignores=[])
                    found = {}
                    for node in tree.body:
                        if isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef)):
                            found[node.name] = None
                        elif isinstance(node, _ast.ClassDef):
                            found[node.name] = [n.name for n in node.body if isinstance(n, (_ast.FunctionDef, _ast.AsyncFunctionDef))]
                    self.names[path] = found
                return self.names[path]
            def _check_function(self, where, value):
                code = getattr(value, "__code__", None)
                known = self.verified.get(where)
                if known is not None and known[0] is value and known[1] is code:
                    return
                self.verified[where] = (value, code)
                for candidate in (value, getattr(value, "__func__", None)):
                    if candidate is None:
                        continue
                    try:
                        function = _inspect.unwrap(candidate)
                    except Exception:
                        function = candidate
                    code = getattr(function, "__code__", None)
                    if code is not None and self._foreign(code.co_filename):
                        self._note("%s was replaced by code from %s" % (where, _os.path.relpath(_os.path.realpath(code.co_filename), self.workspace)))
                        return
            def _law_modules(self):
                for name, module in list(_sys.modules.items()):
                    known = self.seen.get(name)
                    if known is None or known[0] is not module:
                        law = None
                        path = getattr(module, "__file__", None)
                        if isinstance(path, str) and path.endswith(".py"):
                            real = _os.path.realpath(path)
                            if self._inside(real) and self._is_law(real):
                                law = real
                        known = self.seen[name] = (module, law)
                    if known[1] is not None:
                        yield module, known[1]
            def _check_modules(self):
                for module, path in self._law_modules():
                    shown = _os.path.relpath(path, self.workspace)
                    namespace = getattr(module, "__dict__", {})
                    for name, methods in self._definitions(path).items():
                        value = namespace.get(name)
                        if value is None:
                            continue
                        if methods is None:
                            self._check_function("%s: %s" % (shown, name), value)
                        elif isinstance(value, type):
                            for method in methods:
                                if method in vars(value):
                                    self._check_function("%s: %s.%s" % (shown, name, method), vars(value)[method])
            def _check_plugins(self, manager):
                for plugin in manager.get_plugins():
                    if self.plugins is None or id(plugin) in self.plugins:
                        continue
                    self.plugins.add(id(plugin))
                    source = plugin if _inspect.ismodule(plugin) else type(plugin)
                    try:
                        path = _inspect.getsourcefile(source) or ""
                    except Exception:
                        path = ""
                    if path and self._foreign(path):
                        self._note("a pytest plugin was registered at run time by %s" % _os.path.relpath(_os.path.realpath(path), self.workspace))
            def pytest_collection_finish(self, session):
                for item in session.items:
                    path = _os.path.realpath(str(getattr(item, "path", None) or item.fspath))
                    self.law_files.add(path)
                    self.law_folders.add(_os.path.dirname(path))
            def pytest_configure(self, config):
                self.plugins = {id(plugin) for plugin in config.pluginmanager.get_plugins()}
            def pytest_runtest_teardown(self, item):
                self._check_modules()
                self._check_plugins(item.config.pluginmanager)
            def pytest_unconfigure(self, config):
                self._check_modules()
                self._check_plugins(config.pluginmanager)
                for problem in self.problems:
                    _os.write(2, ("taas law guard: " + problem + "\\n").encode("utf-8", "replace"))

        """
}
