"""TaaSHarness(server=…): the same execute_scope against a real `taas serve` on loopback."""

from __future__ import annotations

import re
import signal
import subprocess
from pathlib import Path
from typing import Any, Iterator, List

import pytest

from conftest import RUN_TIMEOUT

PASSING = {"scope_id": "py-fabric", "scenarios": [{"id": "CMD-001", "command": "grep -q hello hello.txt"}]}
FAILING = {"scope_id": "py-fabric", "scenarios": [{"id": "CMD-001", "command": "grep -q bye hello.txt"}]}


@pytest.fixture
def server(taas_bin: str, tmp_path: Path) -> Iterator[str]:
    process = subprocess.Popen(
        [taas_bin, "serve", "--port", "0", "--data", str(tmp_path / "fabric")],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, f"taas serve did not start: {line!r}"
        yield f"http://127.0.0.1:{match.group(1)}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / "hello.txt").write_text("hello\n")
    return folder


def test_execute_scope_on_a_server_returns_the_same_report_objects(server: str, workspace: Path, tmp_path: Path) -> None:
    from maestro_taas import TaaSHarness, Verdict

    harness = TaaSHarness(server=server, out_dir=tmp_path / "out", labels={"commit": "abc"})
    events: List[Any] = []
    report = harness.execute_scope(PASSING, workspace, on_progress=events.append, timeout=RUN_TIMEOUT)
    assert report.verdict == Verdict.PASS
    assert [e.event for e in events][0] == "run_started"
    assert events[-1].event == "run_finished" and events[-1].verdict == Verdict.PASS
    assert (tmp_path / "out" / "report.html").is_file()

    failed = harness.execute_scope(FAILING, workspace, timeout=RUN_TIMEOUT)
    assert failed.verdict == Verdict.FAIL
    assert failed.run_id != report.run_id


def test_an_invalid_scope_raises_with_the_servers_problems(server: str, workspace: Path) -> None:
    from maestro_taas import InvalidScopeError, TaaSHarness

    harness = TaaSHarness(server=server)
    with pytest.raises(InvalidScopeError) as raised:
        harness.execute_scope({"scope_id": "x", "scenarios": [{"id": "A", "command": 42}]}, workspace)
    assert any("scenarios[0]" in path for path in raised.value.paths)
