"""Remove data/app.db and data/ if empty; exits 0 when there is nothing to clean."""

import os

DB_PATH = os.path.join("data", "app.db")

if os.path.exists(DB_PATH):
    os.remove(DB_PATH)
    print("removed", DB_PATH)
else:
    print("nothing to clean")
if os.path.isdir("data") and not os.listdir("data"):
    os.rmdir("data")
