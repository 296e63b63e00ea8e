"""A small JSON API for the http checks: POST /login gives a token that GET /me accepts."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, status, value):
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.answer(200, {"status": "ok"})
        elif self.path == "/me" and self.headers.get("Authorization") == "Bearer t-1f2e":
            self.answer(200, {"user": "ada", "roles": ["admin", "dev"]})
        else:
            self.answer(401 if self.path == "/me" else 404, {"error": "no"})

    def do_POST(self):
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        if self.path == "/login" and data.get("user") == "ada":
            self.answer(201, {"token": "t-1f2e"})
        else:
            self.answer(403, {"error": "who?"})

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
