ITEMS = {"bolt": 12}


def fetch_item(name):
    return ITEMS[name]
