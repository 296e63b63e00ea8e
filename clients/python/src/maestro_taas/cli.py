"""``python -m maestro_taas run SCOPE``: runs a scope through ``TaaSHarness`` like ``taas run``.

Exit codes mirror ``taas run``: 0 pass, 1 fail, 2 error (also: taas unavailable, no
report, timeout), 3 invalid scope, 64 bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import List, NoReturn, Optional, Sequence, TextIO

from . import __version__
from .errors import HarnessUnavailableError, InvalidScopeError, TaaSRunError, TaaSTimeoutError
from .harness import SANDBOXES, TaaSHarness
from .report import ProgressEvent, TaaSReport, Verdict

EXIT_PASS, EXIT_FAIL, EXIT_ERROR, EXIT_INVALID_SCOPE, EXIT_USAGE = 0, 1, 2, 3, 64


def format_event(event: ProgressEvent) -> Optional[str]:
    """A one-line, human-readable form of a progress event (``None`` for events not worth a line)."""
    data = event.data
    kind = event.event
    if kind == "run_started":
        return f"taas: running {data.get('scope_id')} ({data.get('scenarios')} scenarios, run {data.get('run_id')})"
    if kind == "phase_started":
        return f"• {data.get('phase')}"
    if kind == "step_finished":
        ok = data.get("exit_code") == 0 and not data.get("timed_out")
        number = int(data.get("index", 0)) + 1
        how = "timed out" if data.get("timed_out") else f"exit {data.get('exit_code')}"
        suffix = "" if ok else f", {how}"
        return f"  {'PASS' if ok else 'FAIL'} {data.get('phase')} {number}: {data.get('command')} ({data.get('duration_ms')}ms{suffix})"
    if kind == "service_ready":
        if data.get("ready"):
            return f"  PASS service {data.get('name')} ready after {data.get('ready_after_ms')}ms"
        return f"  FAIL service {data.get('name')}: {data.get('message') or 'not ready'}"
    if kind == "scenario_finished":
        cases = data.get("cases") or {}
        details = [str(data.get("type"))]
        if cases.get("total"):
            failed = f", {cases.get('failed')} failed" if cases.get("failed") else ""
            details.append(f"{cases.get('total')} cases{failed}")
        if data.get("flaky"):
            details.append("flaky")
        details.append(f"{data.get('duration_ms')}ms")
        line = f"  {str(data.get('verdict', '?')).upper()} {data.get('id')} ({', '.join(details)})"
        if data.get("message"):
            line += f": {data.get('message')}"
        return line
    if kind == "note":
        return f"  note: {data.get('message')}"
    return None


def format_report(report: TaaSReport) -> List[str]:
    """The end of a run: the verdict line, then the failures and the run's errors."""
    summary = report.summary
    cases = summary.cases
    line = (
        f"{report.verdict.value.upper()} {report.scope_id}: {summary.passed} passed, {summary.failed} failed"
        f"{f', {summary.errored} errored' if summary.errored else ''}"
        f"{f', {summary.skipped} skipped' if summary.skipped else ''}"
        f"; cases: {cases.passed}/{cases.total} passed in {report.duration_ms}ms"
    )
    if report.report_path:
        line += f" — report: {report.report_path}"
    lines = [line]
    for failure in report.failures():
        lines.append(f"  ✗ {failure}")
    for error in report.errors:
        lines.append(f"  error ({error.phase}): {error.message}")
    return lines


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m maestro_taas", description="Run Maestro TaaS TestScopes from Python.")
    parser.add_argument("--version", action="store_true", help="print the versions of maestro-taas and taas")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    run = commands.add_parser(
        "run",
        help="run a TestScope and print its verdict",
        description="Run a TestScope with taas and print its verdict. "
        "Exit codes: 0 pass, 1 fail, 2 error, 3 invalid scope.",
    )
    run.add_argument("scope", help="the TestScope JSON file ('-' reads JSON from standard input)")
    run.add_argument("--workspace", help="the folder copied into the sandbox (default: the scope file's folder)")
    run.add_argument("-o", "--out", help="where to write report.json, junit.xml and logs/ (default: a temporary folder)")
    run.add_argument("--sandbox", choices=SANDBOXES, help="the sandbox (default: the scope's environment.type)")
    run.add_argument("--unsafe-local", action="store_true", help="allow the local sandbox (no isolation)")
    run.add_argument("-j", "--jobs", type=int, help="how many scenarios may run at once")
    run.add_argument("--timeout", type=float, help="seconds before the run is interrupted")
    run.add_argument("--binary", help="the taas binary (default: $MAESTRO_TAAS_BIN, then taas on PATH)")
    run.add_argument("-q", "--quiet", action="store_true", help="print only the verdict line")
    run.add_argument("--json", action="store_true", help="print the report's JSON on standard output instead")
    return parser


def main(argv: Optional[Sequence[str]] = None, stdout: Optional[TextIO] = None) -> int:
    out = stdout or sys.stdout
    arguments = _parser().parse_args(argv)
    if arguments.version:
        try:
            taas = TaaSHarness().version
        except HarnessUnavailableError as error:
            taas = f"unavailable ({error})"
        print(f"maestro-taas {__version__}; taas {taas}", file=out)
        return EXIT_PASS
    if arguments.command != "run":
        _parser().print_help(out)
        return EXIT_USAGE

    def show(line: str) -> None:
        print(line, file=sys.stderr if arguments.json else out, flush=True)

    def progress(event: ProgressEvent) -> None:
        line = format_event(event)
        if line is not None:
            show(line)

    try:
        if arguments.sandbox == "local" and not arguments.unsafe_local:
            show("maestro_taas: --sandbox local runs steps as plain host processes; add --unsafe-local to allow it")
            return EXIT_USAGE
        harness = TaaSHarness(
            binary=arguments.binary,
            sandbox=arguments.sandbox,
            out_dir=arguments.out,
            unsafe_local=arguments.unsafe_local,
            jobs=arguments.jobs,
        )
        scope = sys.stdin.read() if arguments.scope == "-" else arguments.scope
        report = harness.execute_scope(
            scope,
            arguments.workspace,
            timeout=arguments.timeout,
            on_progress=None if arguments.quiet else progress,
        )
    except InvalidScopeError as error:
        print(str(error), file=sys.stderr)
        return EXIT_INVALID_SCOPE
    except (HarnessUnavailableError, TaaSRunError, TaaSTimeoutError, FileNotFoundError, NotADirectoryError) as error:
        print(f"maestro_taas: {error}", file=sys.stderr)
        return EXIT_ERROR
    for warning in report.warnings:
        print(f"  {warning}", file=sys.stderr)
    if arguments.json:
        json.dump(report.raw, out, indent=2, sort_keys=True)
        out.write("\n")
    elif arguments.quiet:
        show(format_report(report)[0])
    else:
        for line in format_report(report):
            show(line)
    return {Verdict.PASS: EXIT_PASS, Verdict.FAIL: EXIT_FAIL}.get(report.verdict, EXIT_ERROR)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
