from core import clamp, slugify


def test_slugify_joins_words():
    assert slugify("  Hello  TaaS World ") == "hello-taas-world"


def test_clamp_inside_range_is_unchanged():
    assert clamp(5, 0, 10) == 5


def test_clamp_limits_both_ends():
    assert clamp(-3, 0, 10) == 0
    assert clamp(42, 0, 10) == 10
