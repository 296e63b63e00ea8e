"""A tiny calculator, tested with unittest."""


def add(a, b):
    return a + b
