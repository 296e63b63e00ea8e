"""A tiny module for the seed TestScope's UNIT-001 scenario."""


def slugify(text: str) -> str:
    """Lower-case ``text`` and join its words with '-'."""
    return "-".join(text.lower().split())


def clamp(value: float, low: float, high: float) -> float:
    """Limit ``value`` to the closed range [low, high]."""
    return max(low, min(high, value))
