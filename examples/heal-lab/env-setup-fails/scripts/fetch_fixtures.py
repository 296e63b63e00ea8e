import urllib.request

urllib.request.urlretrieve("http://10.255.0.1/fixtures.json", "fixtures.json")
