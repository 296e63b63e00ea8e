import time


def work():
    time.sleep(30)
    return 1
