import urllib.request


def health():
    return urllib.request.urlopen("http://127.0.0.1:8765/health", timeout=2).read()
