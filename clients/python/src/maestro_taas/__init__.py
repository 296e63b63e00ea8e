"""maestro_taas: run Maestro TaaS TestScopes from Python.

    from maestro_taas import TaaSHarness

    report = TaaSHarness().execute_scope(project.test_scope, workspace="path/to/project")
    if report.passed:
        ...  # mark the phase complete
    else:
        for failure in report.failures():
            print(failure)

The work is done by the Swift ``taas`` binary (``$MAESTRO_TAAS_BIN`` or ``taas``
on PATH); this package is standard library only. ``TaaSHarness.diagnose()`` and
``TaaSHarness.heal()`` call the Healer (``taas diagnose``, ``taas heal``).
"""

from .errors import HarnessUnavailableError, InvalidScopeError, TaaSError, TaaSRunError, TaaSTimeoutError
from .healer import FAILURE_CLASSES, HEAL_OUTCOMES, Diagnosis, DiagnosisItem, Evidence, FixerRun, HealResult
from .harness import MIN_TAAS_VERSION, ScopeLike, TaaSHarness, find_binary, parse_scope_problems
from .report import (
    Attempt,
    CaseCounts,
    CaseResult,
    Failure,
    ProgressEvent,
    RunError,
    SandboxInfo,
    ScenarioResult,
    ScopeProblem,
    ServiceResult,
    StepResult,
    Summary,
    TaaSReport,
    Verdict,
)

__version__ = "0.1.0"

__all__ = [
    "TaaSHarness",
    "ScopeLike",
    "find_binary",
    "parse_scope_problems",
    "MIN_TAAS_VERSION",
    "TaaSReport",
    "Diagnosis",
    "DiagnosisItem",
    "Evidence",
    "HealResult",
    "FixerRun",
    "FAILURE_CLASSES",
    "HEAL_OUTCOMES",
    "ScenarioResult",
    "Attempt",
    "CaseResult",
    "StepResult",
    "ServiceResult",
    "Summary",
    "CaseCounts",
    "SandboxInfo",
    "RunError",
    "Failure",
    "ScopeProblem",
    "ProgressEvent",
    "Verdict",
    "TaaSError",
    "InvalidScopeError",
    "HarnessUnavailableError",
    "TaaSRunError",
    "TaaSTimeoutError",
    "__version__",
]
