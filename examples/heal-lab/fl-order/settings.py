import json
import os

FILE = os.path.join(os.path.dirname(__file__), "settings.json")


def save(values):
    with open(FILE, "w") as f:
        json.dump(values, f)


def load():
    with open(FILE) as f:
        return json.load(f)
