"""Create data/gateway.db (relative to the current directory) with seed routes.

Idempotent: re-running leaves exactly the seed rows in place.
"""

import os
import sqlite3

DB_PATH = os.path.join("data", "gateway.db")
SEED_ROUTES = [
    ("/api/orders", "http://127.0.0.1:8002"),
    ("/api/users", "http://127.0.0.1:8001"),
    ("/static", "http://127.0.0.1:8003"),
]


def main() -> None:
    os.makedirs(os.path.dirname(DB_PATH), exist_ok=True)
    conn = sqlite3.connect(DB_PATH)
    try:
        with conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS routes ("
                " prefix TEXT PRIMARY KEY,"
                " upstream TEXT NOT NULL)"
            )
            conn.execute("DELETE FROM routes")
            conn.executemany("INSERT INTO routes (prefix, upstream) VALUES (?, ?)", SEED_ROUTES)
    finally:
        conn.close()
    print("seeded %d routes into %s" % (len(SEED_ROUTES), DB_PATH))


if __name__ == "__main__":
    main()
