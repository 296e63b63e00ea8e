"""The TaaSReport (``report.json``, report_version 1.x) as frozen dataclasses.

Every class mirrors one object of the report and keeps the field names of the
JSON. Lists become tuples and every object parsed from JSON is immutable; the
original JSON of the whole report stays available as ``TaaSReport.raw`` so that
fields added by a newer ``taas`` are never lost.
"""

from __future__ import annotations

import enum
import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

__all__ = [
    "Verdict",
    "StepResult",
    "ServiceResult",
    "Attempt",
    "CaseResult",
    "ScenarioResult",
    "CaseCounts",
    "Summary",
    "SandboxInfo",
    "RunError",
    "Failure",
    "ScopeProblem",
    "ProgressEvent",
    "TaaSReport",
    "SUPPORTED_REPORT_MAJOR",
]

#: The major ``report_version`` this client understands.
SUPPORTED_REPORT_MAJOR = 1


class Verdict(str, enum.Enum):
    """The outcome of a run, a scenario, an attempt or a test case.

    A ``str`` enum: ``report.verdict == "pass"`` works as well as
    ``report.verdict is Verdict.PASS``.
    """

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


class _VerdictMixin:
    """``passed`` / ``failed`` / ``errored`` / ``skipped`` for anything with a verdict."""

    verdict: Verdict

    @property
    def passed(self) -> bool:
        return self.verdict is Verdict.PASS

    @property
    def failed(self) -> bool:
        return self.verdict is Verdict.FAIL

    @property
    def errored(self) -> bool:
        return self.verdict is Verdict.ERROR

    @property
    def skipped(self) -> bool:
        return self.verdict is Verdict.SKIPPED


def _verdict(value: Any) -> Verdict:
    try:
        return Verdict(value)
    except ValueError:
        raise ValueError(f"unknown verdict {value!r} in the TaaS report") from None


def _opt_int(value: Any) -> Optional[int]:
    return None if value is None else int(value)


def _opt_str(value: Any) -> Optional[str]:
    return None if value is None else str(value)


def _captured_output(data: Mapping[str, Any]) -> Dict[str, Any]:
    """The output fields that steps, services and attempts share: tails and log file paths."""
    return {
        "stdout_tail": str(data.get("stdout_tail", "")),
        "stderr_tail": str(data.get("stderr_tail", "")),
        "stdout_log": _opt_str(data.get("stdout_log")),
        "stderr_log": _opt_str(data.get("stderr_log")),
    }


@dataclass(frozen=True)
class StepResult:
    """One shell command of setup or teardown, as it ran."""

    command: str
    exit_code: Optional[int]
    duration_ms: int
    timed_out: bool
    stdout_tail: str = ""
    stderr_tail: str = ""
    stdout_log: Optional[str] = None
    stderr_log: Optional[str] = None
    message: Optional[str] = None

    @property
    def succeeded(self) -> bool:
        """``True`` when the step ran to completion with exit code 0."""
        return self.exit_code == 0 and not self.timed_out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "StepResult":
        return cls(
            command=str(data.get("command", "")),
            exit_code=_opt_int(data.get("exit_code")),
            duration_ms=int(data.get("duration_ms", 0)),
            timed_out=bool(data.get("timed_out", False)),
            **_captured_output(data),
            message=_opt_str(data.get("message")),
        )


@dataclass(frozen=True)
class ServiceResult:
    """A background service of the run."""

    name: str
    command: str
    ready: bool
    ready_after_ms: Optional[int] = None
    message: Optional[str] = None
    stdout_tail: str = ""
    stderr_tail: str = ""
    stdout_log: Optional[str] = None
    stderr_log: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ServiceResult":
        return cls(
            name=str(data.get("name", "")),
            command=str(data.get("command", "")),
            ready=bool(data.get("ready", False)),
            ready_after_ms=_opt_int(data.get("ready_after_ms")),
            message=_opt_str(data.get("message")),
            **_captured_output(data),
        )


@dataclass(frozen=True)
class Attempt(_VerdictMixin):
    """One try of a scenario (``number`` 1 is the first)."""

    number: int
    verdict: Verdict
    exit_code: Optional[int]
    duration_ms: int
    timed_out: bool
    stdout_tail: str = ""
    stderr_tail: str = ""
    stdout_log: Optional[str] = None
    stderr_log: Optional[str] = None
    message: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Attempt":
        return cls(
            number=int(data.get("number", 0)),
            verdict=_verdict(data.get("verdict")),
            exit_code=_opt_int(data.get("exit_code")),
            duration_ms=int(data.get("duration_ms", 0)),
            timed_out=bool(data.get("timed_out", False)),
            **_captured_output(data),
            message=_opt_str(data.get("message")),
        )


@dataclass(frozen=True)
class CaseResult(_VerdictMixin):
    """One test case reported by a runner (a pytest test function, say)."""

    name: str
    classname: str
    verdict: Verdict
    duration_ms: int
    message: Optional[str] = None

    @property
    def full_name(self) -> str:
        """``classname::name`` (just ``name`` when there is no classname)."""
        return f"{self.classname}::{self.name}" if self.classname else self.name

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CaseResult":
        return cls(
            name=str(data.get("name", "")),
            classname=str(data.get("classname", "")),
            verdict=_verdict(data.get("verdict")),
            duration_ms=int(data.get("duration_ms", 0)),
            message=_opt_str(data.get("message")),
        )


@dataclass(frozen=True)
class ScenarioResult(_VerdictMixin):
    """A scenario's outcome over all its attempts; ``cases`` are those of the last attempt."""

    id: str
    type: str
    verdict: Verdict
    flaky: bool
    duration_ms: int
    attempts: Tuple[Attempt, ...] = ()
    cases: Tuple[CaseResult, ...] = ()
    message: Optional[str] = None

    @property
    def failed_cases(self) -> Tuple[CaseResult, ...]:
        """The cases whose verdict is ``fail`` or ``error``."""
        return tuple(c for c in self.cases if c.verdict in (Verdict.FAIL, Verdict.ERROR))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ScenarioResult":
        return cls(
            id=str(data.get("id", "")),
            type=str(data.get("type", "")),
            verdict=_verdict(data.get("verdict")),
            flaky=bool(data.get("flaky", False)),
            duration_ms=int(data.get("duration_ms", 0)),
            attempts=tuple(Attempt.from_dict(a) for a in data.get("attempts") or ()),
            cases=tuple(CaseResult.from_dict(c) for c in data.get("cases") or ()),
            message=_opt_str(data.get("message")),
        )


@dataclass(frozen=True)
class CaseCounts:
    """Counts of test cases over all scenarios."""

    total: int = 0
    passed: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "CaseCounts":
        return cls(**{name: int(data.get(name, 0)) for name in ("total", "passed", "failed", "errored", "skipped")})


@dataclass(frozen=True)
class Summary:
    """Counts of a report's scenarios (and, in ``cases``, of its test cases)."""

    scenarios: int = 0
    passed: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0
    flaky: int = 0
    cases: CaseCounts = field(default_factory=CaseCounts)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Summary":
        counts = {
            name: int(data.get(name, 0)) for name in ("scenarios", "passed", "failed", "errored", "skipped", "flaky")
        }
        return cls(cases=CaseCounts.from_dict(data.get("cases") or {}), **counts)


@dataclass(frozen=True)
class SandboxInfo:
    """What the sandbox was (``kind``: jail, venv, docker or local) and how it was hardened."""

    kind: str
    unsafe: bool = False
    settings: Mapping[str, str] = field(default_factory=dict, hash=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SandboxInfo":
        return cls(
            kind=str(data.get("kind", "")),
            unsafe=bool(data.get("unsafe", False)),
            settings={str(k): str(v) for k, v in (data.get("settings") or {}).items()},
        )


@dataclass(frozen=True)
class RunError:
    """A problem of the run that is not a test's verdict (a failed setup, a broken sandbox, ...)."""

    phase: str
    message: str

    def __str__(self) -> str:
        return f"{self.phase}: {self.message}"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunError":
        return cls(phase=str(data.get("phase", "")), message=str(data.get("message", "")))


@dataclass(frozen=True)
class Failure:
    """One entry of ``TaaSReport.failures()``: a failed (or errored) test case, or a failed
    scenario that reports no test cases (``case`` is then ``None``)."""

    scenario_id: str
    case: Optional[str]
    classname: str
    verdict: Verdict
    message: str

    @property
    def name(self) -> str:
        """``classname::case`` for a test case, the scenario id otherwise."""
        if self.case is None:
            return self.scenario_id
        return f"{self.classname}::{self.case}" if self.classname else self.case

    @property
    def headline(self) -> str:
        """The first non-empty line of the message (a pytest message is a whole traceback)."""
        for line in self.message.splitlines():
            if line.strip():
                return line.strip()
        return ""

    def __str__(self) -> str:
        where = self.scenario_id if self.case is None else f"{self.scenario_id} {self.name}"
        headline = self.headline
        return f"{where} [{self.verdict.value}]: {headline}" if headline else f"{where} [{self.verdict.value}]"


@dataclass(frozen=True)
class ScopeProblem:
    """One problem ``taas`` found in a TestScope: where (a JSON path such as
    ``scenarios[1].retry_policy.attempts``), what, and how bad (``error`` or ``warning``)."""

    path: str
    message: str
    severity: str = "error"
    line: Optional[int] = None
    column: Optional[int] = None
    hint: Optional[str] = None

    def __str__(self) -> str:
        text = f"{self.severity}: {self.path}: {self.message}"
        if self.line is not None:
            text += f" (line {self.line}, column {self.column})"
        if self.hint:
            text += f"; {self.hint}"
        return text


@dataclass(frozen=True)
class ProgressEvent:
    """One progress event of a running ``taas run`` (a line of its ``--events`` stream).

    ``event`` is its kind: ``run_started``, ``phase_started``, ``step_finished``,
    ``service_ready``, ``attempt_started``, ``attempt_finished``,
    ``scenario_finished``, ``note`` or ``run_finished``. ``data`` holds every field
    of the event as sent (see ``EventStream.swift`` in the taas sources).
    """

    event: str
    time: str
    data: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)

    @property
    def scenario_id(self) -> Optional[str]:
        """The scenario the event is about (``id`` or ``scenario_id``), if any."""
        value = self.data.get("scenario_id", self.data.get("id"))
        return None if value is None else str(value)

    @property
    def verdict(self) -> Optional[Verdict]:
        value = self.data.get("verdict")
        try:
            return None if value is None else Verdict(value)
        except ValueError:
            return None

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __repr__(self) -> str:
        details = ", ".join(f"{k}={v!r}" for k, v in self.data.items() if k not in ("event", "time"))
        return f"ProgressEvent({self.event}: {details})"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ProgressEvent":
        return cls(event=str(data.get("event", "")), time=str(data.get("time", "")), data=dict(data))


@dataclass(frozen=True)
class TaaSReport(_VerdictMixin):
    """The result of running a TestScope: the parsed ``report.json``.

    ``verdict`` is ``pass``, ``fail`` or ``error``. A failed test gives ``fail``;
    ``error`` means the verification itself could not be done (setup, teardown or
    the sandbox broke; see ``errors``). ``raw`` is the report exactly as read;
    ``out_dir`` is the folder holding ``report.json``, ``junit.xml`` and ``logs/``
    (the ``*_log`` paths are relative to it); ``warnings`` are the scope's
    warnings that ``taas`` printed.
    """

    report_version: str
    run_id: str
    scope_id: str
    scope_fingerprint: str
    verdict: Verdict
    started_at: str
    finished_at: str
    duration_ms: int
    taas_version: str
    sandbox: SandboxInfo
    setup: Tuple[StepResult, ...]
    teardown: Tuple[StepResult, ...]
    services: Tuple[ServiceResult, ...]
    scenarios: Tuple[ScenarioResult, ...]
    summary: Summary
    errors: Tuple[RunError, ...]
    lock_status: Optional[str] = None
    lock_fingerprint: Optional[str] = None
    locked_files: Tuple[str, ...] = ()
    lock_changes: Tuple[str, ...] = ()
    cached: bool = False
    cached_from: Optional[str] = None
    signed: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)
    out_dir: Optional[str] = field(default=None, compare=False)
    warnings: Tuple[ScopeProblem, ...] = field(default=(), compare=False, repr=False)

    # -- reading -------------------------------------------------------------------------

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        out_dir: Optional[str] = None,
        warnings: Tuple[ScopeProblem, ...] = (),
    ) -> "TaaSReport":
        """Builds a report from the decoded JSON of ``report.json``."""
        version = str(data.get("report_version", ""))
        major = version.split(".", 1)[0]
        if not major.isdigit() or int(major) != SUPPORTED_REPORT_MAJOR:
            raise ValueError(
                f"unsupported TaaS report_version {version!r} (this maestro-taas reads "
                f"{SUPPORTED_REPORT_MAJOR}.x); upgrade maestro-taas"
            )
        return cls(
            report_version=version,
            run_id=str(data.get("run_id", "")),
            scope_id=str(data.get("scope_id", "")),
            scope_fingerprint=str(data.get("scope_fingerprint", "")),
            verdict=_verdict(data.get("verdict")),
            started_at=str(data.get("started_at", "")),
            finished_at=str(data.get("finished_at", "")),
            duration_ms=int(data.get("duration_ms", 0)),
            taas_version=str(data.get("taas_version", "")),
            sandbox=SandboxInfo.from_dict(data.get("sandbox") or {}),
            setup=tuple(StepResult.from_dict(s) for s in data.get("setup") or ()),
            teardown=tuple(StepResult.from_dict(s) for s in data.get("teardown") or ()),
            services=tuple(ServiceResult.from_dict(s) for s in data.get("services") or ()),
            scenarios=tuple(ScenarioResult.from_dict(s) for s in data.get("scenarios") or ()),
            summary=Summary.from_dict(data.get("summary") or {}),
            errors=tuple(RunError.from_dict(e) for e in data.get("errors") or ()),
            lock_status=_opt_str(data.get("lock_status")),
            lock_fingerprint=_opt_str(data.get("lock_fingerprint")),
            locked_files=tuple(str(f.get("path", "")) for f in data.get("locked_files") or () if isinstance(f, Mapping)),
            lock_changes=tuple(
                f"{c.get('path', '')} {c.get('change', '')}" for c in data.get("lock_changes") or () if isinstance(c, Mapping)
            ),
            cached=bool(data.get("cached", False)),
            cached_from=_opt_str(data.get("cached_from")),
            signed=isinstance(data.get("signature"), Mapping),
            raw=data,
            out_dir=out_dir,
            warnings=tuple(warnings),
        )

    @classmethod
    def from_json(cls, text: Union[str, bytes], *, out_dir: Optional[str] = None) -> "TaaSReport":
        """Builds a report from the JSON text of ``report.json``."""
        return cls.from_dict(json.loads(text), out_dir=out_dir)

    @classmethod
    def load(cls, path: Union[str, "os.PathLike[str]"]) -> "TaaSReport":
        """Reads ``report.json`` (or the output folder that holds it)."""
        path = os.fspath(path)
        if os.path.isdir(path):
            path = os.path.join(path, "report.json")
        with open(path, encoding="utf-8") as file:
            return cls.from_json(file.read(), out_dir=os.path.dirname(os.path.abspath(path)))

    # -- views ---------------------------------------------------------------------------

    @property
    def report_path(self) -> Optional[str]:
        """Where ``report.json`` is, when the report was read from disk."""
        return None if self.out_dir is None else os.path.join(self.out_dir, "report.json")

    def scenario(self, scenario_id: str) -> ScenarioResult:
        """The scenario with this id (``KeyError`` when there is none)."""
        for scenario in self.scenarios:
            if scenario.id == scenario_id:
                return scenario
        raise KeyError(scenario_id)

    def failures(self) -> List[Failure]:
        """The failed test cases with their messages, scenario by scenario.

        Cases with verdict ``fail`` or ``error`` are listed one by one. A scenario
        that failed (or errored) without naming a failed case, such as a shell
        command that exited 1, is listed once with ``case=None`` and the best
        message available (the scenario's message, its last attempt's message, or
        the end of its output). Skipped scenarios are not failures.
        """
        result: List[Failure] = []
        for scenario in self.scenarios:
            bad = scenario.failed_cases
            for case in bad:
                result.append(
                    Failure(scenario.id, case.name, case.classname, case.verdict, case.message or "")
                )
            if not bad and scenario.verdict in (Verdict.FAIL, Verdict.ERROR):
                result.append(Failure(scenario.id, None, "", scenario.verdict, _scenario_message(scenario)))
        return result

    def log_path(self, relative: Optional[str]) -> Optional[str]:
        """The absolute path of a ``*_log`` entry of this report."""
        if relative is None or self.out_dir is None:
            return relative
        return os.path.join(self.out_dir, relative)

    def to_dict(self) -> Dict[str, Any]:
        """The report's JSON (a copy of ``raw``)."""
        copy: Dict[str, Any] = json.loads(json.dumps(self.raw))
        return copy


def _scenario_message(scenario: ScenarioResult) -> str:
    if scenario.message:
        return scenario.message
    if scenario.attempts:
        last = scenario.attempts[-1]
        if last.message:
            return last.message
        parts = []
        if last.timed_out:
            parts.append("timed out")
        elif last.exit_code is not None:
            parts.append(f"exit code {last.exit_code}")
        tail = (last.stderr_tail.strip() or last.stdout_tail.strip()).splitlines()[-3:]
        if tail:
            parts.append(" | ".join(line.strip() for line in tail))
        return ": ".join(parts)
    return ""
