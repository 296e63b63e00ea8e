"""Remove data/gateway.db and the data/ directory if it is then empty.

Idempotent: exits 0 when there is nothing to clean.
"""

import os

DB_PATH = os.path.join("data", "gateway.db")


def main() -> None:
    removed = False
    for path in (DB_PATH, DB_PATH + "-journal", DB_PATH + "-wal", DB_PATH + "-shm"):
        if os.path.exists(path):
            os.remove(path)
            removed = True
    data_dir = os.path.dirname(DB_PATH)
    if os.path.isdir(data_dir) and not os.listdir(data_dir):
        os.rmdir(data_dir)
    print("removed %s" % DB_PATH if removed else "nothing to clean")


if __name__ == "__main__":
    main()
