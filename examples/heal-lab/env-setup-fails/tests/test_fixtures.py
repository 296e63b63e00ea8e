import json


def test_fixtures():
    assert json.load(open("fixtures.json"))
