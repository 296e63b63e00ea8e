from worker import work


def test_work():
    assert work() == 1
