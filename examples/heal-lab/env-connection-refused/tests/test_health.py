from client import health


def test_health():
    assert health() == b"ok"
