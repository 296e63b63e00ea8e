import requests

from client import base_url


def test_url():
    assert requests.compat.urlparse(base_url()).port == 8000
