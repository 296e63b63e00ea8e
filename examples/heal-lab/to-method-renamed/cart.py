class Cart:
    def __init__(self):
        self.items = []

    def add_item(self, item):
        self.items.append(item)
        return len(self.items)
