def test_table():
    rows = [1, 2]
    assert len(rows) == 3
