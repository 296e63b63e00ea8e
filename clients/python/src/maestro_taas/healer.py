"""The Healer's results as Python objects: ``Diagnosis`` (``diagnosis.json``) and ``HealResult`` (``heal.json``)."""

from __future__ import annotations

import dataclasses
from typing import Any, List, Mapping, Optional, Tuple

__all__ = ["Diagnosis", "DiagnosisItem", "Evidence", "HealResult", "FixerRun", "FAILURE_CLASSES", "HEAL_OUTCOMES"]

#: The classes a failure can be given.
FAILURE_CLASSES = ("code_broken", "test_outdated", "flaky", "environment", "unknown")
#: The outcomes of one correction cycle.
HEAL_OUTCOMES = ("fixed", "still_failing", "rejected", "fixer_failed", "amendment_proposed")


def _require(data: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise ValueError(f"{where}.{key}: expected {kind.__name__}, found {type(value).__name__}")
    return value


@dataclasses.dataclass(frozen=True)
class Evidence:
    """One fact a diagnosis rests on (``kind``: exception, frame, baseline_diff, close_match, …)."""

    kind: str
    detail: str
    path: Optional[str] = None
    line: Optional[int] = None


@dataclasses.dataclass(frozen=True)
class DiagnosisItem:
    """One failed case (or scenario), or one scenario that passed only on retry."""

    scenario_id: str
    case: Optional[str]
    failure_class: str
    confidence: float
    summary: str
    evidence: Tuple[Evidence, ...]


@dataclasses.dataclass(frozen=True)
class Diagnosis:
    """``diagnosis.json``: what each failure of a run is, with its evidence."""

    run_id: str
    items: Tuple[DiagnosisItem, ...]
    path: Optional[str] = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Optional[str] = None) -> "Diagnosis":
        if data.get("diagnosis_version") != 1:
            raise ValueError(f"diagnosis_version: expected 1, found {data.get('diagnosis_version')!r}")
        items: List[DiagnosisItem] = []
        for index, raw in enumerate(_require(data, "items", list, "$")):
            where = f"items[{index}]"
            items.append(
                DiagnosisItem(
                    scenario_id=_require(raw, "scenario_id", str, where),
                    case=raw.get("case"),
                    failure_class=_require(raw, "class", str, where),
                    confidence=float(raw.get("confidence", 0)),
                    summary=_require(raw, "summary", str, where),
                    evidence=tuple(
                        Evidence(kind=e.get("kind", ""), detail=e.get("detail", ""), path=e.get("path"), line=e.get("line"))
                        for e in _require(raw, "evidence", list, where)
                    ),
                )
            )
        return cls(run_id=_require(data, "run_id", str, "$"), items=tuple(items), path=path)

    def by_class(self, failure_class: str) -> List[DiagnosisItem]:
        """The items of one class."""
        return [item for item in self.items if item.failure_class == failure_class]


@dataclasses.dataclass(frozen=True)
class FixerRun:
    """The fixer as it ran: ``exit_code`` is ``None`` when it was killed at its budget."""

    command: str
    exit_code: Optional[int]
    duration_ms: int
    output_tail: str
    timed_out: bool


@dataclasses.dataclass(frozen=True)
class HealResult:
    """``heal.json``: the outcome of one correction cycle (a proposal unless applied)."""

    outcome: str
    reason: str
    paths: Tuple[str, ...]
    diff: str
    verdict_before: str
    verdict_after: str
    report: Optional[str]
    fixer: Optional[FixerRun]
    proposal: Optional[str]
    applied: bool
    path: Optional[str] = None

    @property
    def fixed(self) -> bool:
        return self.outcome == "fixed"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Optional[str] = None) -> "HealResult":
        outcome = _require(data, "outcome", str, "$")
        if outcome not in HEAL_OUTCOMES:
            raise ValueError(f"$.outcome: expected one of {', '.join(HEAL_OUTCOMES)}, found {outcome!r}")
        fixer = data.get("fixer")
        return cls(
            outcome=outcome,
            reason=_require(data, "reason", str, "$"),
            paths=tuple(_require(data, "paths", list, "$")),
            diff=_require(data, "diff", str, "$"),
            verdict_before=_require(data, "verdict_before", str, "$"),
            verdict_after=_require(data, "verdict_after", str, "$"),
            report=data.get("report"),
            fixer=None
            if fixer is None
            else FixerRun(
                command=fixer.get("command", ""),
                exit_code=fixer.get("exit_code"),
                duration_ms=int(fixer.get("duration_ms", 0)),
                output_tail=fixer.get("output_tail", ""),
                timed_out=bool(fixer.get("timed_out", False)),
            ),
            proposal=data.get("proposal"),
            applied=bool(data.get("applied", False)),
            path=path,
        )
