"""A small OTLP/HTTP trace receiver for the telemetry tests.

Listens on 127.0.0.1 (an ephemeral port, printed as the first line of stdout), accepts
POST /v1/traces in http/protobuf (decoded with opentelemetry-proto) or http/json, and appends
one JSON line per request to the file given: {"path", "content_type", "headers", "spans": [...]},
each span with hex ids, name, kind, status, attributes (key -> value) and events.

Modes: ok (answer 200), fail (answer 500), slow (answer after 30 s).
"""

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1 import trace_service_pb2


def any_value(value):
    if isinstance(value, dict):  # JSON
        for key in ("stringValue", "boolValue", "doubleValue"):
            if key in value:
                return value[key]
        if "intValue" in value:
            return int(value["intValue"])
        return None
    kind = value.WhichOneof("value")
    return getattr(value, kind) if kind else None


def from_protobuf(body):
    request = trace_service_pb2.ExportTraceServiceRequest()
    request.ParseFromString(body)
    spans = []
    for resource_spans in request.resource_spans:
        resource = {kv.key: any_value(kv.value) for kv in resource_spans.resource.attributes}
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                spans.append({
                    "traceId": span.trace_id.hex(),
                    "spanId": span.span_id.hex(),
                    "parentSpanId": span.parent_span_id.hex(),
                    "name": span.name,
                    "kind": span.kind,
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "status": {"code": span.status.code, "message": span.status.message},
                    "attributes": {kv.key: any_value(kv.value) for kv in span.attributes},
                    "events": [
                        {"name": e.name, "attributes": {kv.key: any_value(kv.value) for kv in e.attributes}}
                        for e in span.events
                    ],
                    "resource": resource,
                    "scope": scope_spans.scope.name,
                })
    return spans


def from_json(body):
    document = json.loads(body)
    spans = []
    for resource_spans in document.get("resourceSpans", []):
        resource = {kv["key"]: any_value(kv["value"]) for kv in resource_spans["resource"].get("attributes", [])}
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                status = span.get("status", {})
                spans.append({
                    "traceId": span["traceId"],
                    "spanId": span["spanId"],
                    "parentSpanId": span.get("parentSpanId", ""),
                    "name": span["name"],
                    "kind": span["kind"],
                    "start": int(span["startTimeUnixNano"]),
                    "end": int(span["endTimeUnixNano"]),
                    "status": {"code": status.get("code", 0), "message": status.get("message", "")},
                    "attributes": {kv["key"]: any_value(kv["value"]) for kv in span.get("attributes", [])},
                    "events": [
                        {"name": e["name"], "attributes": {kv["key"]: any_value(kv["value"]) for kv in e.get("attributes", [])}}
                        for e in span.get("events", [])
                    ],
                    "resource": resource,
                    "scope": scope_spans["scope"]["name"],
                })
    return spans


def main():
    log_path, mode = sys.argv[1], sys.argv[2]
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            content_type = self.headers.get("Content-Type", "")
            record = {"path": self.path, "content_type": content_type, "headers": dict(self.headers)}
            try:
                record["spans"] = from_protobuf(body) if "protobuf" in content_type else from_json(body)
            except Exception as error:  # recorded, so that a test sees why
                record["decode_error"] = repr(error)
            with lock, open(log_path, "a") as log:
                log.write(json.dumps(record) + "\n")
            if mode == "slow":
                time.sleep(30)
            status = 500 if mode == "fail" else 200
            answer = b"{}" if status == 200 else b"collector failure"
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
