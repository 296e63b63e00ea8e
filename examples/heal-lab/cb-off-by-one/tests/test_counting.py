from counting import count_up


def test_counts_to_three():
    assert count_up(3) == [1, 2, 3]
