from shop.prices import price


def test_apple():
    assert price("apple") == 3
