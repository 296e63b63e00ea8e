from cache import is_warm


def test_cache_is_warm():
    assert is_warm()
