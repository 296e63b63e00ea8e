"""HTTP front end of the example gateway (stdlib only).

Run from the project root:  python3 -m gateway.server [--port 3000] [--db data/gateway.db]

Endpoints:
  GET /health            200 {"status": "ok", "db": "ok", "routes": N}
                         (or "db": "missing" when the database was not seeded)
  GET /routes            200 [{"prefix": ..., "upstream": ...}, ...] (503 without DB)
  GET /resolve?path=P    200 {"path": P, "upstream": U} or 404 when no route matches
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sqlite3
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

from .core import TokenBucket, match_route, validate_request

DEFAULT_DB = os.path.join("data", "gateway.db")


def load_routes(db_path: str) -> Optional[List[Dict[str, str]]]:
    """Return the routes stored in the database, or None if it does not exist."""
    if not os.path.exists(db_path):
        return None
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT prefix, upstream FROM routes ORDER BY prefix").fetchall()
    finally:
        conn.close()
    return [{"prefix": prefix, "upstream": upstream} for prefix, upstream in rows]


class GatewayHandler(BaseHTTPRequestHandler):
    server_version = "PilotGateway/1.0"
    db_path = DEFAULT_DB
    limiter = TokenBucket(capacity=100, refill_rate=50)
    limiter_lock = threading.Lock()

    def _send(self, status: int, payload: object) -> None:
        body = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _route(self) -> Tuple[int, object]:
        errors = validate_request(self.command, self.path, dict(self.headers.items()))
        if errors:
            return 400, {"errors": errors}
        with self.limiter_lock:
            allowed = self.limiter.allow()
        if not allowed:
            return 429, {"error": "rate limit exceeded"}
        url = urlsplit(self.path)
        if url.path == "/health":
            try:
                routes = load_routes(self.db_path)
            except sqlite3.Error as exc:
                return 200, {"status": "ok", "db": "error", "detail": str(exc)}
            if routes is None:
                return 200, {"status": "ok", "db": "missing"}
            return 200, {"status": "ok", "db": "ok", "routes": len(routes)}
        if url.path == "/routes":
            routes = load_routes(self.db_path)
            if routes is None:
                return 503, {"error": "database missing"}
            return 200, routes
        if url.path == "/resolve":
            target = parse_qs(url.query).get("path", ["/"])[0]
            table = {r["prefix"]: r["upstream"] for r in load_routes(self.db_path) or []}
            upstream = match_route(target, table)
            if upstream is None:
                return 404, {"path": target, "error": "no route"}
            return 200, {"path": target, "upstream": upstream}
        return 404, {"error": "not found"}

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        try:
            status, payload = self._route()
        except Exception as exc:  # keep serving; report the failure
            status, payload = 500, {"error": str(exc)}
        self._send(status, payload)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        sys.stderr.write("%s %s\n" % (self.address_string(), format % args))


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Pilot API gateway")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument("--db", default=os.environ.get("GATEWAY_DB", DEFAULT_DB))
    args = parser.parse_args(argv)

    GatewayHandler.db_path = args.db
    server = ThreadingHTTPServer(("127.0.0.1", args.port), GatewayHandler)
    server.daemon_threads = True

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(0)  # unwinds serve_forever() in the main thread

    signal.signal(signal.SIGTERM, stop)
    print("listening on 127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
