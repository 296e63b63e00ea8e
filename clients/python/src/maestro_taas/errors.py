"""The exceptions of maestro_taas.

A test that fails is a result, not an exception: ``execute_scope`` returns a
``TaaSReport`` whose verdict is ``fail`` (or ``error`` when setup, teardown or
the sandbox broke). Exceptions are for the cases where no verdict could be given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Optional, Tuple

from .report import ScopeProblem

if TYPE_CHECKING:  # pragma: no cover
    from .report import TaaSReport

__all__ = [
    "TaaSError",
    "InvalidScopeError",
    "HarnessUnavailableError",
    "TaaSRunError",
    "TaaSTimeoutError",
]


class TaaSError(Exception):
    """Base class of every maestro_taas exception."""


class InvalidScopeError(TaaSError, ValueError):
    """The TestScope cannot run (``taas`` exit code 3).

    ``problems`` lists every problem ``taas`` found, each with its JSON ``path``
    (such as ``scenarios[0].retry_policy.attempts``), ``message`` and
    ``severity`` (``error`` or ``warning``), plus ``line`` / ``column`` / ``hint``
    when known. ``errors`` are the problems that make the scope invalid.
    """

    def __init__(self, problems: Iterable[ScopeProblem], source: Optional[str] = None, output: str = "") -> None:
        self.problems: Tuple[ScopeProblem, ...] = tuple(problems)
        self.source = source
        #: Everything ``taas`` printed on standard error.
        self.output = output
        errors = self.errors
        header = f"invalid TestScope{' ' + source if source else ''}: {len(errors)} problem{'s' if len(errors) != 1 else ''}"
        super().__init__("\n".join([header] + [f"  {problem}" for problem in self.problems]))

    @property
    def errors(self) -> Tuple[ScopeProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def paths(self) -> Tuple[str, ...]:
        """The JSON paths of the errors, in order."""
        return tuple(p.path for p in self.errors)


class HarnessUnavailableError(TaaSError, RuntimeError):
    """The ``taas`` binary is missing, broken or incompatible; the message says how to fix it."""

    def __init__(self, message: str, binary: Optional[str] = None) -> None:
        super().__init__(message)
        self.binary = binary


class TaaSRunError(TaaSError, RuntimeError):
    """``taas run`` ended without writing a report (a workspace that is not a folder, a
    sandbox that does not exist on this machine, a crash ...)."""

    def __init__(self, message: str, exit_code: Optional[int] = None, stderr: str = "", stdout: str = "") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.stderr = stderr
        self.stdout = stdout


class TaaSTimeoutError(TaaSError, TimeoutError):
    """The run took longer than ``timeout``; ``taas`` was interrupted (it runs teardown and
    writes a partial report, available as ``report`` when it was written in time)."""

    def __init__(self, message: str, timeout: float, report: "Optional[TaaSReport]" = None) -> None:
        super().__init__(message)
        self.timeout = timeout
        self.report = report
