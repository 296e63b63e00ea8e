"""Tiny API gateway used as the bundled "Pilot 1: API Gateway" example."""

from .core import TokenBucket, match_route, normalize_headers, validate_request

__all__ = ["TokenBucket", "match_route", "normalize_headers", "validate_request"]
