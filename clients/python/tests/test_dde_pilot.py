"""examples/pilot-api/dde_pilot.py end to end, with the real taas: the pilot hand-off of the seed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from conftest import EXAMPLE, RUN_TIMEOUT, SOURCE

SCRIPT = EXAMPLE / "dde_pilot.py"
BROKEN_LINE = ("name.strip().lower()", "name.strip()")


def run_pilot(taas_bin: str, *arguments: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, MAESTRO_TAAS_BIN=taas_bin, PYTHONPATH=str(SOURCE))
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--sandbox", "jail", "--timeout", str(RUN_TIMEOUT), *arguments],
        capture_output=True, text=True, env=environment, timeout=RUN_TIMEOUT + 60,
    )


def test_pilot_marks_the_phase_complete_on_pass(taas_bin: str, tmp_path: Path) -> None:
    result = run_pilot(taas_bin, "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "phase complete" in result.stdout
    assert "TaaS verdict: PASS" in result.stdout and "13/13 test cases passed" in result.stdout
    assert "UNIT-001: pass" in result.stdout  # progress, as the run went
    assert (tmp_path / "out" / "report.json").is_file()


def test_pilot_names_the_failed_case_and_decides_on_fail(
    taas_bin: str, pilot_copy: Path
) -> None:
    core = pilot_copy / "gateway" / "core.py"
    source = core.read_text()
    assert BROKEN_LINE[0] in source
    core.write_text(source.replace(*BROKEN_LINE))

    result = run_pilot(taas_bin, "--workspace", str(pilot_copy))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "TaaS verdict: FAIL" in result.stdout
    assert "phase complete" not in result.stdout.replace("phase NOT complete", "")
    failed = result.stdout.split("failed cases:", 1)[1]
    assert "UNIT-001 tests.test_core::test_normalize_headers_lowercases_and_strips" in failed
    assert "decision: healer" in result.stdout
    # Without the Healer, the same failure goes to human review.
    result = run_pilot(taas_bin, "--workspace", str(pilot_copy), "--no-healer")
    assert result.returncode == 1 and "decision: human review" in result.stdout
