import inventory


def test_bolts():
    assert inventory.get_item("bolt") == 12
