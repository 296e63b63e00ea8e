import os

MARKER = os.path.join(os.path.dirname(__file__), ".warm")


def is_warm():
    warm = os.path.exists(MARKER)
    open(MARKER, "w").close()
    return warm
