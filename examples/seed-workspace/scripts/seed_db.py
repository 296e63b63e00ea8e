"""Create data/app.db (relative to the current directory); idempotent."""

import os
import sqlite3

DB_PATH = os.path.join("data", "app.db")

os.makedirs("data", exist_ok=True)
conn = sqlite3.connect(DB_PATH)
with conn:
    conn.execute("CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("DELETE FROM items")
    conn.executemany("INSERT INTO items (name) VALUES (?)", [("alpha",), ("beta",)])
conn.close()
print("seeded", DB_PATH)
