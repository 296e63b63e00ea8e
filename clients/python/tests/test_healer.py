"""maestro_taas's diagnose() and heal() against the real taas, on a broken copy of examples/pilot-api."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from maestro_taas import Diagnosis, HealResult, TaaSRunError, Verdict

PYTHON = sys.executable


def break_token_bucket(project: Path) -> None:
    """TokenBucket.allow always says yes: a code bug."""
    core = project / "gateway" / "core.py"
    text = core.read_text()
    assert "        return False\n" in text
    core.write_text(text.replace("            return True\n        return False\n", "            return True\n        return True\n"))


RESTORE = (
    f"{PYTHON} -c \"import pathlib; p = pathlib.Path('gateway/core.py'); "
    "p.write_text(p.read_text().replace('            return True\\n        return True\\n', "
    "'            return True\\n        return False\\n'))\""
)


def test_diagnose_names_the_broken_code(harness, pilot_copy: Path) -> None:
    break_token_bucket(pilot_copy)
    report = harness.execute_scope(pilot_copy / "scope.json")
    assert report.verdict == Verdict.FAIL
    diagnosis = harness.diagnose(report, pilot_copy)
    assert isinstance(diagnosis, Diagnosis)
    assert diagnosis.items and {item.failure_class for item in diagnosis.items} == {"code_broken"}
    item = diagnosis.items[0]
    assert item.scenario_id == "UNIT-001" and item.case and item.case.startswith("tests/test_core.py::")
    assert any(e.kind == "frame" and e.path == "tests/test_core.py" for e in item.evidence)
    assert Path(diagnosis.path).name == "diagnosis.json"


def test_heal_fixes_the_code_and_rejects_a_changed_test(harness, pilot_copy: Path, tmp_path: Path) -> None:
    break_token_bucket(pilot_copy)
    report = harness.execute_scope(pilot_copy / "scope.json")
    fixed = harness.heal(report, pilot_copy, RESTORE, out=tmp_path / "heal-1", budget=60)
    assert isinstance(fixed, HealResult)
    assert fixed.outcome == "fixed" and fixed.fixed
    assert (fixed.verdict_before, fixed.verdict_after) == ("fail", "pass")
    assert fixed.paths == ("gateway/core.py",) and "+        return False" in fixed.diff
    assert fixed.fixer is not None and fixed.fixer.exit_code == 0
    assert not fixed.applied and "return True\n        return True" in (pilot_copy / "gateway" / "core.py").read_text()

    cheat = "sed -i 's/assert not bucket.allow()/assert bucket.allow()/' tests/test_core.py"
    rejected = harness.heal(report, pilot_copy, cheat, out=tmp_path / "heal-2", budget=60)
    assert rejected.outcome == "rejected" and rejected.reason == "law_changed"
    assert rejected.paths == ("tests/test_core.py",) and rejected.verdict_after == "fail"


def test_an_outdated_test_becomes_a_proposal(harness, pilot_copy: Path, tmp_path: Path) -> None:
    # A refactoring of the code that the tests did not follow: normalize_headers is now canonical_headers.
    for name in ("core.py", "__init__.py"):
        module = pilot_copy / "gateway" / name
        module.write_text(module.read_text().replace("normalize_headers", "canonical_headers"))
    report = harness.execute_scope(pilot_copy / "scope.json")
    diagnosis = harness.diagnose(report, pilot_copy)
    outdated = diagnosis.by_class("test_outdated")
    assert outdated and any(e.kind == "close_match" and "canonical_headers" in e.detail for e in outdated[0].evidence)
    rename = "sed -i 's/normalize_headers/canonical_headers/g' tests/test_core.py"
    result = harness.heal(report, pilot_copy, rename, out=tmp_path / "heal", budget=60)
    assert result.outcome == "amendment_proposed" and result.reason == "test_outdated"
    assert result.paths == ("tests/test_core.py",) and "+from gateway.core import" in result.diff
    assert result.proposal and Path(result.proposal).is_file() and result.verdict_after == result.verdict_before


def test_diagnose_names_a_report_that_is_not_one(harness, tmp_path: Path) -> None:
    bad = tmp_path / "report.json"
    bad.write_text('{"report_version": "1.0"}')
    with pytest.raises(TaaSRunError) as caught:
        harness.diagnose(bad)
    assert "report" in str(caught.value)
