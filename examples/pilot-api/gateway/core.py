"""Pure building blocks of the gateway: routing, validation, rate limiting.

Nothing here does I/O, so every function can be unit-tested directly.
"""

from __future__ import annotations

import time
from typing import Callable, Dict, List, Mapping, Optional

ALLOWED_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def normalize_headers(headers: Mapping[str, str]) -> Dict[str, str]:
    """Return headers with lower-cased names and stripped values.

    When two names differ only by case, the last one wins.
    """
    return {name.strip().lower(): value.strip() for name, value in headers.items()}


def match_route(path: str, routes: Mapping[str, str]) -> Optional[str]:
    """Return the upstream of the longest route prefix matching ``path``.

    Prefixes match on whole path segments only: ``/api/users`` matches
    ``/api/users`` and ``/api/users/7`` but not ``/api/usersettings``.
    The query string, if any, is ignored. Returns ``None`` when nothing matches.
    """
    path = path.split("?", 1)[0] or "/"
    best: Optional[str] = None
    for prefix in routes:
        base = prefix.rstrip("/")
        if base == "":  # the "/" catch-all route
            hit = True
        else:
            hit = path == base or path.startswith(base + "/")
        if hit and (best is None or len(base) > len(best.rstrip("/"))):
            best = prefix
    return None if best is None else routes[best]


def validate_request(method: str, path: str, headers: Mapping[str, str]) -> List[str]:
    """Return a list of problems with a request; an empty list means valid."""
    errors: List[str] = []
    headers = normalize_headers(headers)
    if method.upper() not in ALLOWED_METHODS:
        errors.append("method not allowed: %s" % method)
    if not path.startswith("/"):
        errors.append("path must start with '/'")
    if ".." in path.split("?", 1)[0].split("/"):
        errors.append("path traversal is not allowed")
    if method.upper() in BODY_METHODS and "content-type" not in headers:
        errors.append("content-type header is required for %s" % method.upper())
    return errors


class TokenBucket:
    """Token-bucket rate limiter.

    ``capacity`` tokens at most; ``refill_rate`` tokens are added per second.
    ``clock`` returns seconds and can be replaced by a fake clock in tests.
    """

    def __init__(
        self,
        capacity: float,
        refill_rate: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity <= 0 or refill_rate < 0:
            raise ValueError("capacity must be > 0 and refill_rate >= 0")
        self.capacity = float(capacity)
        self.refill_rate = float(refill_rate)
        self._clock = clock
        self._tokens = float(capacity)
        self._last = clock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._last)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.refill_rate)
        self._last = now

    @property
    def tokens(self) -> float:
        """Tokens currently available."""
        self._refill()
        return self._tokens

    def allow(self, cost: float = 1.0) -> bool:
        """Take ``cost`` tokens if available and return True, else False."""
        self._refill()
        if self._tokens >= cost:
            self._tokens -= cost
            return True
        return False
