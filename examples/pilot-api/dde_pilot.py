#!/usr/bin/env python3
"""The DDE's pilot lifecycle, verification phase: the hand-off to Maestro TaaS.

    pip install ./clients/python          # once (from the repository root)
    python3 examples/pilot-api/dde_pilot.py [--workspace DIR] [--sandbox jail|venv]

1. Inception: load the pilot project definition (pilot_project.json) with its test_scope.
2. Construction: the DDE built the code (here: the project folder, or --workspace).
3. Verification: TaaSHarness().execute_scope(project.test_scope, workspace).
4. Result: PASS -> "phase complete"; FAIL -> print the failed cases and decide:
   the Healer (failed tests with messages it can work from) or human review.

The taas binary comes from MAESTRO_TAAS_BIN, else `taas` on PATH.
Exit codes: 0 phase complete, 1 tests failed, 2 the verification could not be done
(error verdict, taas unavailable, timeout), 3 the test_scope is invalid.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

try:
    import maestro_taas
except ImportError:  # a checkout without `pip install ./clients/python`: use the client next door
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python" / "src"))
    import maestro_taas

from maestro_taas import (
    HarnessUnavailableError,
    InvalidScopeError,
    ProgressEvent,
    TaaSHarness,
    TaaSReport,
    TaaSRunError,
    TaaSTimeoutError,
    Verdict,
)

HERE = Path(__file__).resolve().parent
EXIT_COMPLETE, EXIT_FAILED, EXIT_ERROR, EXIT_INVALID_SCOPE = 0, 1, 2, 3


@dataclass(frozen=True)
class PilotProject:
    """A pilot project definition, as dde_pilot_projects.py keeps them, with its test_scope."""

    project_id: str
    name: str
    folder: Path
    test_scope: Dict[str, Any]


def load_pilot_project(path: Path) -> PilotProject:
    """Reads a project definition; its ``test_scope`` is inline or the name of a scope file next to it."""
    definition = json.loads(path.read_text(encoding="utf-8"))
    scope = definition["test_scope"]
    if isinstance(scope, str):
        scope = json.loads((path.parent / scope).read_text(encoding="utf-8"))
    return PilotProject(definition["project_id"], definition["name"], path.parent, scope)


def say(message: str) -> None:
    print(f"DDE ▸ {message}", flush=True)


def show_progress(event: ProgressEvent) -> None:
    if event.event == "step_finished" and (event.get("exit_code") != 0 or event.get("timed_out")):
        print(f"    [TaaS] {event.get('phase')} step failed: {event.get('command')}", flush=True)
    elif event.event == "service_ready":
        state = "ready" if event.get("ready") else f"NOT ready: {event.get('message')}"
        print(f"    [TaaS] service {event.get('name')} {state}", flush=True)
    elif event.event == "scenario_finished":
        cases = event.get("cases") or {}
        counts = f", {cases.get('total')} cases, {cases.get('failed')} failed" if cases.get("total") else ""
        print(f"    [TaaS] {event.scenario_id}: {event.verdict}{counts}", flush=True)


def decide(report: TaaSReport, healer_enabled: bool) -> Tuple[str, str]:
    """The DDE's decision on a run that did not pass: ("healer" | "human review", why)."""
    failures = report.failures()
    if report.errored:
        problems = "; ".join(str(error) for error in report.errors) or "the verification could not be done"
        return "human review", f"TaaS could not verify the code ({problems})"
    if not healer_enabled:
        return "human review", "the Healer is disabled (--no-healer)"
    untestable = [f for f in failures if f.case is None or f.verdict is Verdict.ERROR or not f.message]
    if untestable:
        names = ", ".join(f.name for f in untestable)
        return "human review", f"failures without a test failure the Healer can work from: {names}"
    return "healer", f"{len(failures)} failed test case(s) go to the Healer for one auto-correction cycle"


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=HERE / "pilot_project.json", help="the pilot project definition")
    parser.add_argument("--workspace", type=Path, help="the code to verify (default: the project's folder)")
    parser.add_argument("--sandbox", choices=["jail", "venv", "docker"], help="default: the test_scope's environment.type")
    parser.add_argument("--out", type=Path, help="where TaaS writes report.json and logs/ (default: a temporary folder)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before the verification is abandoned")
    parser.add_argument("--no-healer", action="store_true", help="send every failure to human review")
    args = parser.parse_args(argv)

    # 1. Inception: the project definition and its test_scope.
    project = load_pilot_project(args.project)
    workspace = (args.workspace or project.folder).resolve()
    say(f"{project.name} ({project.project_id}): test_scope {project.test_scope.get('scope_id')!r}, "
        f"{len(project.test_scope.get('scenarios', []))} scenarios")

    # 2. Construction happened before: the code to verify is in the workspace.
    # 3. Verification: the TaaS hand-off.
    try:
        harness = TaaSHarness(sandbox=args.sandbox, out_dir=args.out)
        say(f"verification: handing the test_scope to TaaS (taas {harness.version}, workspace {workspace})")
        report = harness.execute_scope(project.test_scope, workspace, timeout=args.timeout, on_progress=show_progress)
    except InvalidScopeError as error:
        say(f"the project's test_scope is invalid; fix the project definition:\n{error}")
        return EXIT_INVALID_SCOPE
    except (HarnessUnavailableError, TaaSRunError, TaaSTimeoutError) as error:
        say(f"TaaS could not run: {error}")
        say("decision: human review")
        return EXIT_ERROR

    # 4. Result.
    summary = report.summary
    say(f"TaaS verdict: {report.verdict.value.upper()}: {summary.passed}/{summary.scenarios} scenarios passed, "
        f"{summary.cases.passed}/{summary.cases.total} test cases passed (report: {report.report_path})")
    if report.passed:
        say(f"phase complete: verification of {project.name}")
        return EXIT_COMPLETE
    failures = report.failures()
    if failures:
        say("failed cases:")
        for failure in failures:
            print(f"  - {failure}", flush=True)
    decision, why = decide(report, healer_enabled=not args.no_healer)
    say(f"decision: {decision}: {why}")
    say("phase NOT complete")
    return EXIT_ERROR if report.errored else EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
