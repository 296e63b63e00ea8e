"""Runs TestScopes on a Quality Fabric (``taas serve``) over its HTTP API, with the standard library only."""

import io
import json
import os
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from .errors import InvalidScopeError, TaaSRunError, TaaSTimeoutError
from .report import ProgressEvent, ScopeProblem, TaaSReport

REPORT_FILES = (("report", "report.json"), ("report.html", "report.html"), ("junit.xml", "junit.xml"), ("summary.md", "summary.md"))


class FabricClient:
    """The HTTP API of a Fabric at ``server`` (``http://127.0.0.1:8470``), with an optional bearer ``token``."""

    def __init__(self, server: str, token: Optional[str] = None) -> None:
        self.server = server.rstrip("/")
        self.token = token

    def _request(self, method: str, path: str, body: Optional[bytes] = None, content_type: Optional[str] = None,
                 timeout: Optional[float] = None) -> Any:
        request = urllib.request.Request(self.server + path, data=body, method=method)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        if content_type:
            request.add_header("Content-Type", content_type)
        return urllib.request.urlopen(request, timeout=timeout)

    def get(self, path: str) -> bytes:
        with self._request("GET", path) as answer:
            return answer.read()

    def submit(self, scope_json: bytes, workspace_archive: bytes, sandbox: Optional[str] = None,
               jobs: Optional[int] = None, labels: Optional[Mapping[str, str]] = None) -> str:
        """Submits a run; returns its id. An invalid scope raises ``InvalidScopeError`` with the server's problems."""
        boundary = f"taas-{uuid.uuid4().hex}"
        parts: List[bytes] = []

        def field(name: str, value: bytes, filename: Optional[str] = None) -> None:
            disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
            parts.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + value + b"\r\n")

        field("scope", scope_json, "scope.json")
        field("workspace", workspace_archive, "workspace.tar.gz")
        if sandbox:
            field("sandbox", sandbox.encode())
        if jobs:
            field("jobs", str(jobs).encode())
        if labels:
            field("labels", json.dumps(dict(labels)).encode())
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        try:
            with self._request("POST", "/v1/runs", body, f"multipart/form-data; boundary={boundary}") as answer:
                return json.loads(answer.read())["run_id"]
        except urllib.error.HTTPError as error:
            detail = _error_body(error)
            if error.code == 422 and detail.get("problems"):
                problems = [ScopeProblem(path=p.get("path", "$"), message=p.get("message", ""), severity="error")
                            for p in detail["problems"]]
                raise InvalidScopeError(problems, source="scope", output=detail.get("error", "")) from None
            raise TaaSRunError(f"the Fabric refused the run ({error.code}): {detail.get('error', error.reason)}") from None

    def follow(self, run_id: str, on_progress: Optional[Callable[[ProgressEvent], Any]], timeout: Optional[float]) -> None:
        """Reads the run's Server-Sent Events (past ones first) until the stream ends after ``run_finished``."""
        with self._request("GET", f"/v1/runs/{run_id}/events", timeout=timeout) as stream:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                if not line.startswith("data: ") or on_progress is None:
                    continue
                try:
                    data = json.loads(line[6:])
                except ValueError:
                    continue
                if isinstance(data, dict) and "event" in data:
                    on_progress(ProgressEvent.from_dict(data))


def _error_body(error: "urllib.error.HTTPError") -> Dict[str, Any]:
    try:
        value = json.loads(error.read())
        return value if isinstance(value, dict) else {}
    except ValueError:
        return {}


def archive_workspace(workspace: str) -> bytes:
    """The workspace folder as a .tar.gz (paths relative to it; ``.git`` left out)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in sorted(os.listdir(workspace)):
            if name == ".git":
                continue
            archive.add(os.path.join(workspace, name), arcname=name)
    return buffer.getvalue()


def execute_on_server(client: FabricClient, scope_json: bytes, workspace: str, out: str, *,
                      sandbox: Optional[str], jobs: Optional[int], labels: Optional[Mapping[str, str]],
                      timeout: Optional[float], on_progress: Optional[Callable[[ProgressEvent], Any]]) -> TaaSReport:
    """Submits, follows and collects one run; the report files land in ``out`` as with a local run."""
    started = time.monotonic()
    run_id = client.submit(scope_json, archive_workspace(workspace), sandbox=sandbox, jobs=jobs, labels=labels)
    try:
        client.follow(run_id, on_progress, timeout)
    except (TimeoutError, OSError) as error:
        if timeout is not None and time.monotonic() - started >= timeout:
            try:
                client._request("DELETE", f"/v1/runs/{run_id}").close()
            finally:
                raise TaaSTimeoutError(f"the run {run_id} did not finish within {timeout} seconds and was cancelled",
                                       timeout=float(timeout)) from None
        raise TaaSRunError(f"lost the Fabric's event stream of run {run_id}: {error}") from None
    os.makedirs(out, exist_ok=True)
    for path, name in REPORT_FILES:
        try:
            data = client.get(f"/v1/runs/{run_id}/{path}")
        except urllib.error.HTTPError:
            continue
        with open(os.path.join(out, name), "wb") as file:
            file.write(data)
    report_path = os.path.join(out, "report.json")
    if not os.path.isfile(report_path):
        raise TaaSRunError(f"the Fabric's run {run_id} ended without a report")
    with open(report_path, encoding="utf-8") as file:
        return TaaSReport.from_dict(json.load(file), out_dir=out)
