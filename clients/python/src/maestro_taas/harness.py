"""``TaaSHarness``: runs a TestScope with the ``taas`` binary and returns its ``TaaSReport``."""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import IO, Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from .errors import HarnessUnavailableError, InvalidScopeError, TaaSRunError, TaaSTimeoutError
from .healer import Diagnosis, HealResult
from .report import ProgressEvent, ScopeProblem, TaaSReport

__all__ = ["TaaSHarness", "ScopeLike", "MIN_TAAS_VERSION", "BINARY_ENV", "parse_scope_problems", "find_binary"]

#: The oldest ``taas`` this client works with (it needs ``taas run --events``).
MIN_TAAS_VERSION: Tuple[int, int, int] = (0, 1, 0)
#: The environment variable naming the ``taas`` binary.
BINARY_ENV = "MAESTRO_TAAS_BIN"
SANDBOXES = ("jail", "venv", "docker", "local")

#: A TestScope: a dict (such as a pilot project's ``test_scope``), JSON text, or a path to a JSON file.
ScopeLike = Union[Mapping[str, Any], str, bytes, "os.PathLike[str]"]
ProgressCallback = Callable[[ProgressEvent], Any]

# How long taas gets to run teardown and write its partial report after SIGTERM.
_STOP_GRACE_SECONDS = 30.0
_POLL_SECONDS = 0.1

_FIX = (
    "build it with `swift build --product taas` in the Maestro TaaS repository and set "
    f"{BINARY_ENV}=/path/to/maestro-taas/.build/debug/taas (or put `taas` on PATH, or pass "
    "TaaSHarness(binary=...))"
)


def find_binary(binary: Optional[Union[str, "os.PathLike[str]"]] = None) -> str:
    """The ``taas`` executable: ``binary`` if given, else ``$MAESTRO_TAAS_BIN``, else ``taas`` on PATH.

    Raises ``HarnessUnavailableError`` (with the fix) when there is none.
    """
    if binary is not None:
        candidate, origin = os.fspath(binary), "the binary argument"
    elif os.environ.get(BINARY_ENV):
        candidate, origin = os.environ[BINARY_ENV], BINARY_ENV
    else:
        found = shutil.which("taas")
        if found is None:
            raise HarnessUnavailableError(f"the taas binary was not found: {BINARY_ENV} is not set and no `taas` is on PATH; {_FIX}")
        return os.path.abspath(found)
    if os.sep not in candidate and (os.altsep is None or os.altsep not in candidate):
        found = shutil.which(candidate)
        if found is not None:
            return os.path.abspath(found)
    if not os.path.isfile(candidate):
        raise HarnessUnavailableError(
            f"the taas binary {candidate!r} (from {origin}) does not exist; {_FIX}", binary=candidate
        )
    if not os.access(candidate, os.X_OK):
        raise HarnessUnavailableError(
            f"the taas binary {candidate!r} (from {origin}) is not executable; run `chmod +x {candidate}` or {_FIX}",
            binary=candidate,
        )
    return os.path.abspath(candidate)


def _parse_version(text: str) -> Optional[Tuple[int, int, int]]:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)


# `  error: scenarios[0].retry_policy.attempts: expected ... (line 1, column 105); did you mean ...`
_PROBLEM_LINE = re.compile(
    r"^\s+(?P<severity>error|warning): "
    r"(?P<path>\$|(?:[\w-]+|\.[\w-]+|\[\d+\]|\[\"(?:[^\"\\]|\\.)*\"\])+): "
    r"(?P<rest>.*)$"
)
_LOCATION = re.compile(r" \(line (?P<line>\d+), column (?P<column>\d+)\)")


def parse_scope_problems(text: str) -> List[ScopeProblem]:
    """The problems in what ``taas run`` / ``taas validate`` print on standard error."""
    problems = []
    for line in text.splitlines():
        match = _PROBLEM_LINE.match(line)
        if match is None:
            continue
        rest = match.group("rest")
        line_no = column = hint = None
        locations = list(_LOCATION.finditer(rest))
        if locations:
            location = locations[-1]
            message, after = rest[: location.start()], rest[location.end():]
            line_no, column = int(location.group("line")), int(location.group("column"))
            if after.startswith("; "):
                hint = after[2:]
        elif "; did you mean" in rest:
            message, _, hint = rest.rpartition("; ")
        else:
            message = rest
        problems.append(
            ScopeProblem(
                path=match.group("path"),
                message=message,
                severity=match.group("severity"),
                line=line_no,
                column=column,
                hint=hint or None,
            )
        )
    return problems


def _is_inside(path: str, folder: str) -> bool:
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _ScopePath:
    """The absolute path of an existing scope file (as opposed to JSON text, a ``str``)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return self.path


def _scratch_folder(workspace: Optional[str]) -> str:
    """A new temporary folder that is not inside ``workspace``."""
    bases = [tempfile.gettempdir(), "/var/tmp", "/dev/shm", os.path.expanduser("~/.cache")]
    for base in bases:
        if workspace is not None and _is_inside(base, workspace):
            continue
        if os.path.isdir(base) and os.access(base, os.W_OK):
            return tempfile.mkdtemp(prefix="maestro-taas-", dir=base)
    return tempfile.mkdtemp(prefix="maestro-taas-")  # deleted after the run in any case


class _EventReader:
    """Reads ``taas run --events`` JSON lines as they come, from a pipe or (as a fallback) a file."""

    def __init__(self, callback: ProgressCallback, fd: Optional[int] = None, path: Optional[str] = None) -> None:
        self.callback = callback
        self.fd = fd
        self.path = path
        self.file: Optional[IO[bytes]] = None
        self.buffer = b""
        self.eof = False

    def poll(self, wait: float) -> None:
        """Delivers the complete lines that arrived, waiting up to ``wait`` seconds for data."""
        if self.eof:
            time.sleep(wait)
            return
        if self.fd is not None:
            ready, _, _ = select.select([self.fd], [], [], wait)
            if ready:
                chunk = os.read(self.fd, 65536)
                if chunk:
                    self._feed(chunk)
                else:
                    self.eof = True
            return
        if self.file is None:
            try:
                self.file = open(self.path, "rb")  # type: ignore[arg-type]
            except FileNotFoundError:
                time.sleep(wait)
                return
        chunk = self.file.read()
        if chunk:
            self._feed(chunk)
        else:
            time.sleep(wait)

    def drain(self) -> None:
        """After ``taas`` exited: delivers everything still unread (without waiting for a
        pipe's end, which a leftover grandchild process could hold open)."""
        if self.fd is not None:
            while not self.eof:
                ready, _, _ = select.select([self.fd], [], [], 0)
                if not ready:
                    break
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    self.eof = True
                self._feed(chunk)
        else:
            if self.file is None and self.path and os.path.exists(self.path):
                self.file = open(self.path, "rb")
            if self.file is not None:
                self._feed(self.file.read())
        if self.buffer.strip():
            self._deliver(self.buffer)
        self.buffer = b""

    def close(self) -> None:
        if self.fd is not None:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = None
        if self.file is not None:
            self.file.close()
            self.file = None

    def _feed(self, chunk: bytes) -> None:
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            self._deliver(line)

    def _deliver(self, line: bytes) -> None:
        if not line.strip():
            return
        try:
            data = json.loads(line)
        except ValueError:
            return  # not an event line; never let a stray line break the run
        if isinstance(data, dict) and "event" in data:
            self.callback(ProgressEvent.from_dict(data))


class TaaSHarness:
    """Runs TestScopes with the Swift ``taas`` CLI.

    ``binary``: the ``taas`` executable (default: ``$MAESTRO_TAAS_BIN``, then ``taas``
    on PATH); its version is checked here, so a missing or broken binary raises
    ``HarnessUnavailableError`` at once. ``sandbox``: ``jail``, ``venv``, ``docker``
    or ``local`` (default: the scope's ``environment.type``); ``local`` runs steps as
    plain host processes and needs ``unsafe_local=True``. ``out_dir``: where each run
    writes ``report.json``, ``junit.xml`` and ``logs/`` (default: a new temporary
    folder per run, kept so the logs stay readable; see ``TaaSReport.out_dir``).
    ``env``: variables added to (or, with ``None``, removed from) the environment of
    ``taas``, such as ``TAAS_CACHE_DIR``. ``jobs``: scenarios run at once.
    ``cache``: serve a run whose inputs equal an earlier clean run's from the verdict
    cache (``TaaSReport.cached``). ``sign_key``: an Ed25519 private key from
    ``taas keygen``; every report is signed (``taas verify`` checks it).
    ``require_lock``: a scope file without ``SCOPE.lock.json`` is an error.
    """

    def __init__(
        self,
        binary: Optional[Union[str, "os.PathLike[str]"]] = None,
        sandbox: Optional[str] = None,
        out_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
        env: Optional[Mapping[str, Optional[str]]] = None,
        *,
        unsafe_local: bool = False,
        jobs: Optional[int] = None,
        cache: bool = False,
        sign_key: Optional[Union[str, "os.PathLike[str]"]] = None,
        require_lock: bool = False,
        server: Optional[str] = None,
        token: Optional[str] = None,
        labels: Optional[Mapping[str, str]] = None,
    ) -> None:
        if sandbox is not None and sandbox not in SANDBOXES:
            raise ValueError(f"sandbox must be one of {', '.join(SANDBOXES)}, not {sandbox!r}")
        if sandbox == "local" and not unsafe_local:
            raise ValueError("sandbox='local' runs steps as plain host processes; pass unsafe_local=True to allow it")
        if jobs is not None and jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {jobs}")
        self.sandbox = sandbox
        self.out_dir = None if out_dir is None else os.path.abspath(os.fspath(out_dir))
        self.env = dict(env or {})
        self.unsafe_local = unsafe_local
        self.jobs = jobs
        self.cache = cache
        self.sign_key = None if sign_key is None else os.path.abspath(os.fspath(sign_key))
        self.require_lock = require_lock
        # With ``server`` (a Quality Fabric, ``taas serve``), runs go over HTTP: no local binary is needed.
        self.server = server
        self.labels = dict(labels or {})
        self.fabric = None
        if server is not None:
            from .fabric import FabricClient
            self.fabric = FabricClient(server, token if token is not None else os.environ.get("TAAS_TOKEN"))
            self.binary = ""
            self.version = "server"
            return
        self.binary = find_binary(binary)
        self.version = self._check_version()

    def __repr__(self) -> str:
        if self.server is not None:
            return f"TaaSHarness(server={self.server!r}, sandbox={self.sandbox!r})"
        return f"TaaSHarness(binary={self.binary!r}, version={self.version!r}, sandbox={self.sandbox!r})"

    # -- the binary ------------------------------------------------------------------------

    def _environment(self) -> Dict[str, str]:
        environment = dict(os.environ)
        for key, value in self.env.items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = str(value)
        return environment

    def _check_version(self) -> str:
        try:
            result = subprocess.run(
                [self.binary, "--version"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=60,
                env=self._environment(),
            )
        except subprocess.TimeoutExpired:
            raise HarnessUnavailableError(
                f"`{self.binary} --version` did not answer within 60 seconds; the binary is broken: {_FIX}",
                binary=self.binary,
            ) from None
        except OSError as error:
            raise HarnessUnavailableError(
                f"cannot run the taas binary {self.binary!r}: {error}; {_FIX}", binary=self.binary
            ) from None
        output = (result.stdout or "").strip()
        version = _parse_version(output) if result.returncode == 0 else None
        if version is None:
            detail = (result.stderr or result.stdout or "").strip().splitlines()[-1:] or ["no output"]
            raise HarnessUnavailableError(
                f"{self.binary!r} is not a working taas: `--version` exited {result.returncode} ({detail[0]}); {_FIX}",
                binary=self.binary,
            )
        if version < MIN_TAAS_VERSION:
            raise HarnessUnavailableError(
                f"taas {output} at {self.binary!r} is too old: maestro-taas needs taas "
                f"{'.'.join(map(str, MIN_TAAS_VERSION))} or newer; rebuild it from the current sources "
                "(`swift build --product taas`)",
                binary=self.binary,
            )
        return output

    # -- running ---------------------------------------------------------------------------

    def execute_scope(
        self,
        scope: ScopeLike,
        workspace: Optional[Union[str, "os.PathLike[str]"]] = None,
        *,
        timeout: Optional[float] = None,
        on_progress: Optional[ProgressCallback] = None,
        out_dir: Optional[Union[str, "os.PathLike[str]"]] = None,
    ) -> TaaSReport:
        """Runs a TestScope and returns its report; a failed or errored run is a report, not an exception.

        ``scope``: a dict (a pilot project's ``test_scope``), JSON text, or the path
        of a scope file. ``workspace``: the project folder copied into the sandbox;
        by default the current directory for a dict or JSON text (which is written
        to a temporary file outside the workspace) and the scope file's folder for
        a path (as ``taas run`` does). ``timeout``: seconds before the run is
        interrupted (``TaaSTimeoutError``, carrying the partial report).
        ``on_progress``: called with each ``ProgressEvent`` while the run goes, in
        order, from the calling thread; an exception it raises stops the run and
        propagates. ``out_dir``: overrides the harness's ``out_dir`` for this run.

        Raises ``InvalidScopeError`` (exit code 3, with every problem and its JSON
        path), ``HarnessUnavailableError`` (taas missing, broken or incompatible),
        ``TaaSRunError`` (no report written) and ``TaaSTimeoutError``.
        """
        scope = self._scope_value(scope)
        from_file = not isinstance(scope, (Mapping, str))
        if workspace is None and not from_file:
            workspace = "."
        if workspace is not None:
            workspace = os.path.abspath(os.fspath(workspace))
            if not os.path.isdir(workspace):
                raise NotADirectoryError(f"the workspace {workspace} is not a folder")
        if self.fabric is not None:
            return self._execute_on_server(scope, workspace, timeout, on_progress, out_dir)
        # The scope file and taas's console output go to a scratch folder outside the workspace
        # (so they are never copied into the sandbox), deleted after the run.
        scratch = _scratch_folder(workspace)
        try:
            scope_path, source = self._scope_file(scope, scratch)
            out = os.path.abspath(os.fspath(out_dir)) if out_dir is not None else self.out_dir
            if out is None:
                out = tempfile.mkdtemp(prefix="maestro-taas-run-")
            os.makedirs(out, exist_ok=True)
            report_path = os.path.join(out, "report.json")
            if os.path.exists(report_path):
                os.remove(report_path)  # never mistake an earlier run's report for this one's

            arguments = [self.binary, "run", scope_path, "--out", out]
            if workspace is not None:
                arguments += ["--workspace", workspace]
            if self.sandbox is not None:
                arguments += ["--sandbox", self.sandbox]
            if self.unsafe_local:
                arguments.append("--unsafe-local")
            if self.jobs is not None:
                arguments += ["--jobs", str(self.jobs)]
            if self.cache:
                arguments.append("--cache")
            if self.sign_key is not None:
                arguments += ["--sign", self.sign_key]
            if self.require_lock:
                arguments.append("--require-lock")
            returncode, stdout, stderr, timed_out = self._run(arguments, scratch, timeout, on_progress)
            # An invalid scope: the problems as `taas validate --format json` gives them (paths,
            # lines, columns, hints), not parsed from the console's text.
            validated = self._validate_json(scope_path, scratch) if returncode == 3 else None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

        problems = validated if validated is not None else parse_scope_problems(stderr)
        if returncode == 3:
            if not any(p.severity == "error" for p in problems):
                detail = " ".join(line.strip() for line in stderr.strip().splitlines()) or "taas exited 3"
                if detail.startswith("taas: "):
                    detail = detail[len("taas: "):]
                problems.append(ScopeProblem(path="$", message=detail, severity="error"))
            raise InvalidScopeError(problems, source=source, output=stderr)
        report: Optional[TaaSReport] = None
        if os.path.isfile(report_path):
            try:
                with open(report_path, encoding="utf-8") as file:
                    data = json.load(file)
            except ValueError as error:
                raise TaaSRunError(
                    f"taas (exit code {returncode}) wrote a report that is not JSON: {report_path}: {error}",
                    exit_code=returncode, stderr=stderr, stdout=stdout,
                ) from None
            try:
                report = TaaSReport.from_dict(data, out_dir=out, warnings=tuple(p for p in problems if p.severity == "warning"))
            except ValueError as error:
                raise HarnessUnavailableError(f"{error} (report written by {self.binary})", binary=self.binary) from None
        if timed_out:
            raise TaaSTimeoutError(
                f"the run of {source} did not finish within {timeout} seconds and was interrupted"
                + (f"; partial report: {report_path}" if report is not None else ""),
                timeout=float(timeout or 0),
                report=report,
            )
        if report is not None:
            return report
        tail = "\n".join((stderr.strip() or stdout.strip()).splitlines()[-20:])
        if returncode == 64:
            raise HarnessUnavailableError(
                f"{self.binary} ({self.version}) rejected the arguments of maestro-taas: {tail}; "
                "use a taas and a maestro-taas from the same release",
                binary=self.binary,
            )
        how = f"was killed by signal {-returncode}" if returncode < 0 else f"exited {returncode}"
        raise TaaSRunError(
            f"taas {how} without writing a report: {tail or '(no output)'}",
            exit_code=returncode,
            stderr=stderr,
            stdout=stdout,
        )

    # -- the Healer ------------------------------------------------------------------------

    def _healer_command(self, arguments: List[str], timeout: Optional[float]) -> "subprocess.CompletedProcess[str]":
        try:
            return subprocess.run(
                [self.binary] + arguments,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=self._environment(),
            )
        except subprocess.TimeoutExpired:
            raise TaaSTimeoutError(f"`taas {arguments[0]}` did not finish within {timeout} seconds", timeout=float(timeout or 0)) from None

    def diagnose(
        self,
        report: Union[str, "os.PathLike[str]", TaaSReport],
        workspace: Optional[Union[str, "os.PathLike[str]"]] = None,
        *,
        baseline: Optional[Union[str, "os.PathLike[str]"]] = None,
        git: bool = False,
        history: Optional[Union[str, "os.PathLike[str]"]] = None,
        output: Optional[Union[str, "os.PathLike[str]"]] = None,
        timeout: Optional[float] = 300,
    ) -> Diagnosis:
        """Classifies every failure of a run (``taas diagnose``) and returns its ``Diagnosis``.

        ``report``: a ``TaaSReport`` from ``execute_scope`` or the path of a ``report.json``.
        ``workspace``: the project folder the run judged. ``baseline``: a passing run's
        ``report.json`` (its ``manifest.json`` is compared); ``git``: compare with git's HEAD;
        ``history``: a folder of earlier output folders. Raises ``TaaSRunError`` when taas
        cannot read an input.
        """
        report_path = self._report_path(report)
        arguments = ["diagnose", report_path]
        if workspace is not None:
            arguments += ["--workspace", os.path.abspath(os.fspath(workspace))]
        if baseline is not None:
            arguments += ["--baseline", os.path.abspath(os.fspath(baseline))]
        if git:
            arguments.append("--git")
        if history is not None:
            arguments += ["--history", os.path.abspath(os.fspath(history))]
        target = os.path.abspath(os.fspath(output)) if output is not None else os.path.join(os.path.dirname(report_path), "diagnosis.json")
        arguments += ["--output", target]
        result = self._healer_command(arguments, timeout)
        if result.returncode != 0 or not os.path.isfile(target):
            raise TaaSRunError(
                f"taas diagnose exited {result.returncode}: {result.stderr.strip() or result.stdout.strip()}",
                exit_code=result.returncode, stderr=result.stderr, stdout=result.stdout,
            )
        with open(target, encoding="utf-8") as file:
            return Diagnosis.from_dict(json.load(file), path=target)

    def heal(
        self,
        report: Union[str, "os.PathLike[str]", TaaSReport],
        workspace: Union[str, "os.PathLike[str]"],
        fixer: str,
        *,
        scope: Optional[Union[str, "os.PathLike[str]"]] = None,
        budget: float = 300,
        out: Optional[Union[str, "os.PathLike[str]"]] = None,
        apply: bool = False,
        timeout: Optional[float] = None,
    ) -> HealResult:
        """Runs one correction cycle (``taas heal``) and returns its ``HealResult``.

        ``fixer``: a shell command run in a copy of ``workspace`` with ``heal-request.json``
        on its standard input; it is killed after ``budget`` seconds. A fix that changes
        the law is ``rejected``; the workspace changes only with ``apply=True`` and
        outcome ``fixed``. Raises ``TaaSRunError`` when taas cannot read an input.
        """
        report_path = self._report_path(report)
        arguments = ["heal", report_path, "--workspace", os.path.abspath(os.fspath(workspace)), "--fixer", fixer, "--budget", str(budget)]
        if scope is not None:
            arguments += ["--scope", os.path.abspath(os.fspath(scope))]
        folder = os.path.abspath(os.fspath(out)) if out is not None else os.path.join(os.path.dirname(report_path), "heal")
        arguments += ["--out", folder]
        if apply:
            arguments.append("--apply")
        result = self._healer_command(arguments, timeout)
        target = os.path.join(folder, "heal.json")
        if result.returncode not in (0, 1) or not os.path.isfile(target):
            raise TaaSRunError(
                f"taas heal exited {result.returncode}: {result.stderr.strip() or result.stdout.strip()}",
                exit_code=result.returncode, stderr=result.stderr, stdout=result.stdout,
            )
        with open(target, encoding="utf-8") as file:
            return HealResult.from_dict(json.load(file), path=target)

    @staticmethod
    def _report_path(report: Union[str, "os.PathLike[str]", TaaSReport]) -> str:
        if isinstance(report, TaaSReport):
            if report.out_dir is None:
                raise ValueError("this TaaSReport has no out_dir: give the path of its report.json")
            return os.path.join(report.out_dir, "report.json")
        path = os.path.abspath(os.fspath(report))
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no report.json at {path}")
        return path

    def _execute_on_server(self, scope: Any, workspace: Optional[str], timeout: Optional[float],
                           on_progress: Optional[ProgressCallback], out_dir: Any) -> TaaSReport:
        """``execute_scope`` on the Fabric: the same report, ``on_progress`` fed from its Server-Sent Events."""
        from .fabric import execute_on_server
        if isinstance(scope, Mapping):
            scope_json = json.dumps(scope).encode()
        elif isinstance(scope, str):
            scope_json = scope.encode()
        else:
            path = os.fspath(scope)
            with open(path, "rb") as file:
                scope_json = file.read()
            workspace = workspace or os.path.dirname(path)
        out = os.path.abspath(os.fspath(out_dir)) if out_dir is not None else self.out_dir
        if out is None:
            out = tempfile.mkdtemp(prefix="maestro-taas-run-")
        return execute_on_server(self.fabric, scope_json, workspace or os.getcwd(), out, sandbox=self.sandbox,
                                 jobs=self.jobs, labels=self.labels, timeout=timeout, on_progress=on_progress)

    @staticmethod
    def _scope_value(scope: ScopeLike) -> Union[Mapping[str, Any], str, "os.PathLike[str]"]:
        """The scope as a dict, JSON text (``str``) or an existing file (an absolute ``os.PathLike``)."""
        if isinstance(scope, Mapping):
            return scope
        if isinstance(scope, bytes):
            scope = scope.decode("utf-8")
        if isinstance(scope, str) and (scope.lstrip().startswith(("{", "[")) or "\n" in scope):
            return scope
        if isinstance(scope, (str, os.PathLike)):
            path = os.path.abspath(os.fspath(scope))
            if not os.path.isfile(path):
                raise FileNotFoundError(f"no TestScope file at {path}")
            return _ScopePath(path)
        raise TypeError(f"scope must be a dict, JSON text or a path, not {type(scope).__name__}")

    @staticmethod
    def _scope_file(scope: Union[Mapping[str, Any], str, "os.PathLike[str]"], scratch: str) -> Tuple[str, str]:
        """(the path of a scope file for taas, a name of the scope for messages)."""
        if isinstance(scope, Mapping):
            path = os.path.join(scratch, "scope.json")
            with open(path, "w", encoding="utf-8") as file:
                json.dump(scope, file, indent=2)
                file.write("\n")
            return path, f"scope {scope.get('scope_id', '(no scope_id)')!s} (a dict)"
        if isinstance(scope, str):
            path = os.path.join(scratch, "scope.json")
            with open(path, "w", encoding="utf-8") as file:
                file.write(scope)  # as given, so that line and column numbers of problems match it
            return path, "scope (JSON text)"
        path = os.fspath(scope)
        return path, path

    def _validate_json(self, scope_path: str, cwd: str) -> Optional[List[ScopeProblem]]:
        """The problems of ``taas validate SCOPE --format json``; ``None`` when that cannot be had
        (an older taas without ``--format``), and the text is parsed instead."""
        try:
            completed = subprocess.run(
                [self.binary, "validate", scope_path, "--format", "json"],
                cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, timeout=60,
            )
            data = json.loads(completed.stdout.decode("utf-8", "replace"))
            return [
                ScopeProblem(
                    path=item.get("path") or "$",
                    message=item["message"],
                    severity=item.get("severity", "error"),
                    line=item.get("line"),
                    column=item.get("column"),
                    hint=item.get("hint"),
                )
                for item in data["problems"]
            ]
        except (OSError, ValueError, KeyError, TypeError, subprocess.SubprocessError):
            return None

    def _run(
        self,
        arguments: List[str],
        scratch: str,
        timeout: Optional[float],
        on_progress: Optional[ProgressCallback],
    ) -> Tuple[int, str, str, bool]:
        """Runs ``taas run``; returns (exit code, stdout, stderr, whether the timeout hit)."""
        reader: Optional[_EventReader] = None
        pass_fds: Tuple[int, ...] = ()
        write_fd: Optional[int] = None
        if on_progress is not None:
            if sys.platform != "win32" and os.path.isdir("/dev/fd"):
                # A pipe inherited by taas as /dev/fd/N: events arrive as they are written,
                # nothing touches the disk, and nothing is left behind.
                read_fd, write_fd = os.pipe()
                os.set_inheritable(write_fd, True)
                pass_fds = (write_fd,)
                arguments = arguments + ["--events", f"/dev/fd/{write_fd}"]
                reader = _EventReader(on_progress, fd=read_fd)
            else:
                events_path = os.path.join(scratch, "events.jsonl")
                arguments = arguments + ["--events", events_path]
                reader = _EventReader(on_progress, path=events_path)

        stdout_path = os.path.join(scratch, "taas.stdout")
        stderr_path = os.path.join(scratch, "taas.stderr")
        timed_out = False
        with open(stdout_path, "wb") as stdout_file, open(stderr_path, "wb") as stderr_file:
            try:
                process = subprocess.Popen(
                    arguments,
                    stdin=subprocess.DEVNULL,
                    stdout=stdout_file,
                    stderr=stderr_file,
                    env=self._environment(),
                    pass_fds=pass_fds,
                    # Its own process group, so that a run stopped by force leaves nothing behind
                    # (see _stop); Ctrl-C reaches taas through the KeyboardInterrupt handler below.
                    start_new_session=True,
                )
            except OSError as error:
                if reader is not None:
                    reader.close()
                raise HarnessUnavailableError(
                    f"cannot run the taas binary {self.binary!r}: {error}; {_FIX}", binary=self.binary
                ) from None
            finally:
                if write_fd is not None:
                    os.close(write_fd)  # taas holds its own copy; the pipe ends when taas does
            deadline = None if timeout is None else time.monotonic() + timeout
            stop_deadline: Optional[float] = None
            try:
                while not _has_exited(process):
                    now = time.monotonic()
                    if deadline is not None and not timed_out and now >= deadline:
                        timed_out = True
                        os.kill(process.pid, signal.SIGTERM)  # taas runs teardown and writes a partial report
                        stop_deadline = now + _STOP_GRACE_SECONDS
                    if stop_deadline is not None and now >= stop_deadline:
                        os.kill(process.pid, signal.SIGKILL)
                        stop_deadline = None
                    if reader is not None:
                        reader.poll(_POLL_SECONDS)
                    else:
                        time.sleep(_POLL_SECONDS)
                if reader is not None:
                    reader.drain()
                if timed_out:
                    _kill_group(process)
            except BaseException:
                # An exception from on_progress, or KeyboardInterrupt: stop taas properly, then re-raise.
                _stop(process)
                raise
            finally:
                if reader is not None:
                    reader.close()
                process.wait()
        with open(stdout_path, encoding="utf-8", errors="replace") as file:
            stdout = file.read()
        with open(stderr_path, encoding="utf-8", errors="replace") as file:
            stderr = file.read()
        return process.returncode, stdout, stderr, timed_out


def _has_exited(process: "subprocess.Popen[bytes]") -> bool:
    """Whether taas has exited, without reaping it where possible: until it is reaped, its pid
    (which is also its process group's id) cannot be reused, so _kill_group stays safe."""
    if process.returncode is not None:
        return True
    if hasattr(os, "waitid") and hasattr(os, "WNOWAIT"):
        try:
            return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
        except ChildProcessError:
            pass
    return process.poll() is not None


def _kill_group(process: "subprocess.Popen[bytes]") -> None:
    """Ends what remains of an interrupted run in taas's process group (its own, made with
    start_new_session), such as a child stuck before it could start the sandbox."""
    if process.returncode is not None or not hasattr(os, "killpg"):
        return  # already reaped: the group id could belong to someone else by now
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """Stops taas as Ctrl-C would (teardown runs, a partial report is written), by force after
    a grace period (or a second Ctrl-C), then ends whatever its process group still holds."""
    try:
        if not _has_exited(process):
            os.kill(process.pid, signal.SIGTERM)
            end = time.monotonic() + _STOP_GRACE_SECONDS
            while not _has_exited(process) and time.monotonic() < end:
                time.sleep(0.05)
            if not _has_exited(process):
                os.kill(process.pid, signal.SIGKILL)
    except KeyboardInterrupt:
        if not _has_exited(process):
            os.kill(process.pid, signal.SIGKILL)
        raise
    finally:
        _kill_group(process)
        process.wait()
