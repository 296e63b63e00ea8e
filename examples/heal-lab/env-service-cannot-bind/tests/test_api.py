import urllib.request


def test_api_answers():
    assert urllib.request.urlopen("http://127.0.0.1:8099/", timeout=2).status == 200
