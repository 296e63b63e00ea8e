"""maestro_taas against the real taas: pass, fail, error, invalid scope, progress, missing binary."""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import List

import pytest

from conftest import RUN_TIMEOUT, SOURCE

from maestro_taas import (
    HarnessUnavailableError,
    InvalidScopeError,
    ProgressEvent,
    TaaSHarness,
    TaaSReport,
    TaaSTimeoutError,
    Verdict,
)

PASSING_TESTS = """
def test_adds():
    assert 1 + 1 == 2
"""

FAILING_TESTS = """
def test_adds():
    assert 1 + 1 == 2


def test_divides():
    assert 7 // 2 == 4, "integer division rounds down"
"""


def project(folder: Path, tests: str) -> Path:
    """A tiny project: tests/test_math.py plus conftest.py."""
    (folder / "tests").mkdir(parents=True)
    (folder / "tests" / "test_math.py").write_text(textwrap.dedent(tests))
    (folder / "conftest.py").write_text("")
    return folder


def scope(*scenarios: dict, **extra: object) -> dict:
    return {"scope_id": "client-test", "scenarios": list(scenarios), **extra}


UNIT = {"id": "UNIT-001", "type": "unit", "execution": {"runner": "pytest", "target": "tests/test_math.py"}}
SHELL = {"id": "SHELL-001", "type": "integration", "command": "echo shell-ok"}


def test_pass_returns_a_frozen_report_of_every_scenario(harness: TaaSHarness, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", PASSING_TESTS)
    before = sorted(p.relative_to(workspace) for p in workspace.rglob("*"))

    report = harness.execute_scope(scope(UNIT, SHELL), workspace, timeout=RUN_TIMEOUT)

    assert report.passed and not report.failed and not report.errored
    assert report.verdict is Verdict.PASS and report.verdict == "pass"
    assert [s.id for s in report.scenarios] == ["UNIT-001", "SHELL-001"]
    assert report.summary.scenarios == 2 and report.summary.passed == 2
    assert report.summary.cases.total == 1 and report.summary.cases.passed == 1
    unit = report.scenario("UNIT-001")
    assert [c.name for c in unit.cases] == ["test_adds"] and unit.cases[0].passed
    assert "shell-ok" in report.scenario("SHELL-001").attempts[0].stdout_tail
    assert report.sandbox.kind == "jail" and report.sandbox.unsafe is False
    assert report.taas_version == harness.version
    assert report.failures() == [] and report.errors == ()
    assert report.raw["run_id"] == report.run_id  # the JSON as written, nothing lost
    assert Path(report.report_path).is_file() and Path(report.out_dir) == tmp_path / "out"
    assert Path(report.log_path(unit.attempts[0].stdout_log)).is_file()
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.verdict = Verdict.FAIL  # type: ignore[misc]
    # The scope (a dict) was written outside the workspace, which taas only copies.
    assert sorted(p.relative_to(workspace) for p in workspace.rglob("*")) == before
    assert TaaSReport.load(report.out_dir) == report


def test_fail_lists_the_failed_cases_with_their_messages(harness: TaaSHarness, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", FAILING_TESTS)

    report = harness.execute_scope(json.dumps(scope(UNIT, SHELL)), workspace, timeout=RUN_TIMEOUT)

    assert report.failed and not report.passed and not report.errored
    assert report.summary.failed == 1 and report.summary.passed == 1
    assert report.summary.cases.failed == 1 and report.summary.cases.passed == 1
    failures = report.failures()
    assert [(f.scenario_id, f.case, f.verdict) for f in failures] == [("UNIT-001", "test_divides", Verdict.FAIL)]
    assert "integer division rounds down" in failures[0].message
    assert "test_divides" in str(failures[0]) and "UNIT-001" in str(failures[0])
    unit = report.scenario("UNIT-001")
    assert unit.failed and [c.name for c in unit.failed_cases] == ["test_divides"]
    assert unit.attempts[0].exit_code == 1


def test_error_verdict_is_a_report_not_an_exception(harness: TaaSHarness, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", PASSING_TESTS)
    broken = scope(UNIT, lifecycle={"setup": ["echo seeding; exit 7"]})

    report = harness.execute_scope(broken, workspace, timeout=RUN_TIMEOUT)

    assert report.errored and not report.passed and not report.failed
    assert report.setup[0].exit_code == 7 and not report.setup[0].succeeded
    assert "seeding" in report.setup[0].stdout_tail
    assert any(error.phase == "setup" for error in report.errors)
    assert [s.verdict for s in report.scenarios] == [Verdict.SKIPPED]
    assert report.failures() == []  # nothing was tested; the reason is in report.errors


def test_invalid_scope_raises_with_every_problem_and_its_json_path(harness: TaaSHarness, tmp_path: Path) -> None:
    bad = {
        "scope_id": "bad scope!",
        "scenarios": [
            {"id": "UNIT-001", "type": "unit", "comand": "true", "retry_policy": {"attempts": 0}},
        ],
    }
    with pytest.raises(InvalidScopeError) as raised:
        harness.execute_scope(bad, tmp_path, timeout=RUN_TIMEOUT)
    error = raised.value
    paths = {p.path for p in error.problems if p.severity == "error"}
    assert {"scope_id", "scenarios[0]", "scenarios[0].retry_policy.attempts"} <= paths
    assert set(error.paths) == paths
    warning = next(p for p in error.problems if p.severity == "warning")
    assert warning.path == "scenarios[0].comand" and "command" in (warning.hint or "")
    attempts = next(p for p in error.problems if p.path == "scenarios[0].retry_policy.attempts")
    assert "found 0" in attempts.message and attempts.line is not None
    assert "scenarios[0].retry_policy.attempts" in str(error)
    assert isinstance(error, ValueError)  # a bad argument, for code that catches ValueError
    assert not (tmp_path / "out" / "report.json").exists()


def test_invalid_json_text_is_an_invalid_scope_with_its_line(harness: TaaSHarness, tmp_path: Path) -> None:
    with pytest.raises(InvalidScopeError) as raised:
        harness.execute_scope('{\n  "scope_id": "x",\n  "scenarios": [,]\n}', tmp_path, timeout=RUN_TIMEOUT)
    (problem,) = raised.value.errors
    assert problem.path == "$" and problem.line == 3


def test_progress_events_arrive_in_order(harness: TaaSHarness, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", FAILING_TESTS)
    events: List[ProgressEvent] = []

    report = harness.execute_scope(scope(SHELL, UNIT), workspace, timeout=RUN_TIMEOUT, on_progress=events.append)

    kinds = [e.event for e in events]
    assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
    assert events[0].get("scope_id") == "client-test" and events[0].get("scenarios") == 2
    assert events[0].get("run_id") == report.run_id
    finished = [e for e in events if e.event == "scenario_finished"]
    assert [(e.scenario_id, e.verdict) for e in finished] == [("SHELL-001", Verdict.PASS), ("UNIT-001", Verdict.FAIL)]
    assert finished[1].get("cases") == {"total": 2, "failed": 1}
    # Each scenario's attempt starts before it finishes, and the phases come in lifecycle order.
    for scenario in ("SHELL-001", "UNIT-001"):
        started = kinds.index("attempt_started", [e.scenario_id for e in events].index(scenario))
        assert started < events.index(next(e for e in finished if e.scenario_id == scenario))
    lifecycle = ["preparing", "setup", "services", "scenarios", "stopping-services", "teardown", "reporting"]
    phases = [e.get("phase") for e in events if e.event == "phase_started"]
    assert "scenarios" in phases and phases == sorted(phases, key=lifecycle.index)
    assert events[-1].verdict is Verdict.FAIL and events[-1].get("summary")["failed"] == 1
    assert [e.time for e in events] == sorted(e.time for e in events)


def test_an_exception_in_on_progress_stops_the_run(harness: TaaSHarness, tmp_path: Path) -> None:
    slow = {"id": "SLOW-001", "type": "integration", "command": "sleep 60"}

    def stop(event: ProgressEvent) -> None:
        if event.event == "attempt_started":
            # Not at once: taas 0.1.0 can miss a SIGTERM that lands in the very moment an
            # attempt starts (it then runs on; the client kills it after a 30 s grace period).
            time.sleep(0.5)
            raise KeyError("stop here")

    started = time.monotonic()
    with pytest.raises(KeyError, match="stop here"):
        harness.execute_scope(scope(slow), tmp_path, timeout=RUN_TIMEOUT, on_progress=stop)
    assert time.monotonic() - started < 20  # taas was stopped; it did not wait for `sleep 60`
    report = TaaSReport.load(tmp_path / "out")  # written by the interrupted taas
    assert report.errored and any("interrupted" in error.message for error in report.errors)


def test_timeout_interrupts_the_run_and_keeps_the_partial_report(harness: TaaSHarness, tmp_path: Path) -> None:
    slow = {"id": "SLOW-001", "type": "integration", "command": "sleep 60"}
    with pytest.raises(TaaSTimeoutError) as raised:
        harness.execute_scope(scope(slow), tmp_path, timeout=3)
    report = raised.value.report
    assert report is not None and report.errored
    assert any("interrupted" in error.message for error in report.errors)


def test_scope_file_path_uses_its_folder_as_the_workspace(harness: TaaSHarness, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", PASSING_TESTS)
    (workspace / "scope.json").write_text(json.dumps(scope(UNIT)))
    report = harness.execute_scope(workspace / "scope.json", timeout=RUN_TIMEOUT)
    assert report.passed and report.summary.cases.passed == 1
    with pytest.raises(FileNotFoundError):
        harness.execute_scope(workspace / "missing.json")


def test_missing_binary_raises_harness_unavailable_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(HarnessUnavailableError) as raised:
        TaaSHarness(binary=tmp_path / "no-such-taas")
    assert "does not exist" in str(raised.value) and "swift build --product taas" in str(raised.value)

    monkeypatch.setenv("MAESTRO_TAAS_BIN", str(tmp_path / "also-missing"))
    with pytest.raises(HarnessUnavailableError, match="MAESTRO_TAAS_BIN"):
        TaaSHarness()

    monkeypatch.delenv("MAESTRO_TAAS_BIN")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(HarnessUnavailableError) as raised:
        TaaSHarness()
    assert "MAESTRO_TAAS_BIN" in str(raised.value) and "PATH" in str(raised.value)


def test_broken_or_old_binary_raises_harness_unavailable(tmp_path: Path) -> None:
    broken = tmp_path / "taas"
    broken.write_text("#!/bin/sh\necho 'segmentation fault' >&2\nexit 139\n")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    with pytest.raises(HarnessUnavailableError, match="not a working taas"):
        TaaSHarness(binary=broken)

    broken.write_text("#!/bin/sh\necho 0.0.1\n")
    with pytest.raises(HarnessUnavailableError, match="too old"):
        TaaSHarness(binary=broken)

    not_executable = tmp_path / "taas-noexec"
    not_executable.write_text("#!/bin/sh\n")
    with pytest.raises(HarnessUnavailableError, match="not executable"):
        TaaSHarness(binary=not_executable)


def test_binary_from_environment_and_version(taas_bin: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAESTRO_TAAS_BIN", taas_bin)
    harness = TaaSHarness()
    assert harness.binary == os.path.abspath(taas_bin)
    expected = subprocess.run([taas_bin, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    assert harness.version == expected


def test_python_dash_m_run_mirrors_the_cli(taas_bin: str, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", FAILING_TESTS)
    (workspace / "scope.json").write_text(json.dumps(scope(UNIT)))
    environment = dict(os.environ, MAESTRO_TAAS_BIN=taas_bin, PYTHONPATH=str(SOURCE))
    result = subprocess.run(
        [sys.executable, "-m", "maestro_taas", "run", str(workspace / "scope.json"), "--sandbox", "jail",
         "--out", str(tmp_path / "out"), "--timeout", str(RUN_TIMEOUT)],
        capture_output=True, text=True, env=environment, timeout=RUN_TIMEOUT + 60,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "FAIL UNIT-001" in result.stdout and "test_divides" in result.stdout
    assert "FAIL client-test" in result.stdout and str(tmp_path / "out" / "report.json") in result.stdout

    (workspace / "bad.json").write_text(json.dumps({"scope_id": "x", "scenarios": [{"id": "A", "type": "unit"}]}))
    result = subprocess.run(
        [sys.executable, "-m", "maestro_taas", "run", str(workspace / "bad.json")],
        capture_output=True, text=True, env=environment, timeout=RUN_TIMEOUT,
    )
    assert result.returncode == 3 and "scenarios[0]" in result.stderr


def test_lock_sign_and_cache_reach_the_report(taas_bin: str, tmp_path: Path) -> None:
    workspace = project(tmp_path / "ws", FAILING_TESTS)
    scope_file = workspace / "scope.json"
    # A description of its own, so that no earlier session's run of this test is in the verdict cache.
    scope_file.write_text(json.dumps(scope(UNIT, description=f"cache test {time.time_ns()}")))
    subprocess.run([taas_bin, "lock", str(scope_file)], check=True, capture_output=True)
    subprocess.run([taas_bin, "keygen", "--output", str(tmp_path / "key")], check=True, capture_output=True)
    harness = TaaSHarness(
        binary=taas_bin, sandbox="jail", out_dir=tmp_path / "out", cache=True, sign_key=tmp_path / "key",
        require_lock=True,
    )
    first = harness.execute_scope(scope_file, timeout=RUN_TIMEOUT)
    assert first.failed and first.lock_status == "verified" and first.signed and not first.cached
    assert first.locked_files == ("#pytest-configuration:UNIT-001", "conftest.py", "tests/test_math.py")
    second = harness.execute_scope(scope_file, timeout=RUN_TIMEOUT)
    assert second.failed and second.cached and second.cached_from == first.run_id

    (workspace / "tests" / "test_math.py").write_text(textwrap.dedent(PASSING_TESTS))
    tampered = harness.execute_scope(scope_file, timeout=RUN_TIMEOUT)
    assert tampered.errored and tampered.lock_status == "mismatch"
    assert tampered.lock_changes == ("tests/test_math.py changed",)
