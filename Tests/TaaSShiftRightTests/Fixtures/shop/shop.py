"""A small JSON service for the Shift Right tests: real traffic to record, replay and turn into incidents.

    python3 shop.py PORT [--build good|broken|changed]

Routes (all answers JSON, each with a fresh request id and timestamp, the noise a replay must see through):
    GET  /health               {"status": "ok"}
    GET  /orders/<id>          {"id", "item", "quantity", "price", "created_at", "request_id"}
    POST /orders               201 {"id", "item", "quantity", "created_at", "request_id"} from a JSON body
    GET  /reports/<id>?...     200 {"id", "rows": [...]} — the "broken" build answers 500 here
    GET  /search?q=...         {"q", "results": [...], "took_ms"}
The "changed" build answers GET /orders/<id> with a different "price" (a real regression for the replay diff).
"""

import json
import sys
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BUILD = "good"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: the tests read the proxies' records, not ours
        pass

    def answer(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Request-Id", document.get("request_id", str(uuid.uuid4())))
        self.end_headers()
        self.wfile.write(body)

    def stamp(self):
        return {"created_at": datetime.now(timezone.utc).isoformat(), "request_id": str(uuid.uuid4())}

    def do_GET(self):
        url = urlsplit(self.path)
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/health":
            return self.answer(200, {"status": "ok"})
        if len(parts) == 2 and parts[0] == "orders":
            price = 12.5 if BUILD != "changed" else 13.0
            return self.answer(200, {"id": parts[1], "item": "tea", "quantity": 2, "price": price, **self.stamp()})
        if len(parts) == 2 and parts[0] == "reports":
            if BUILD == "broken":
                return self.answer(500, {"error": "ZeroDivisionError: division by zero", **self.stamp()})
            return self.answer(200, {"id": parts[1], "rows": [1, 2, 3], **self.stamp()})
        if url.path == "/search":
            query = parse_qs(url.query).get("q", [""])[0]
            started = time.monotonic()
            results = [name for name in ("tea", "teapot", "coffee") if query in name]
            return self.answer(200, {"q": query, "results": results, "took_ms": (time.monotonic() - started) * 1000, **self.stamp()})
        return self.answer(404, {"error": "not found", **self.stamp()})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        try:
            order = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self.answer(400, {"error": "the body is not JSON"})
        if self.path == "/orders":
            return self.answer(201, {"id": str(uuid.uuid4().int % 100000), "item": order.get("item"), "quantity": order.get("quantity", 1), **self.stamp()})
        return self.answer(404, {"error": "not found", **self.stamp()})


if __name__ == "__main__":
    port = int(sys.argv[1])
    if "--build" in sys.argv:
        BUILD = sys.argv[sys.argv.index("--build") + 1]
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
