import time

from loader import load


def test_load_is_fast():
    started = time.monotonic()
    assert load() == "data"
    elapsed = time.monotonic() - started
    assert elapsed < 1.0, f"load took {elapsed:.2f}s"
