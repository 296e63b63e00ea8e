#!/usr/bin/env bash
# The hand-written baseline of benchmark case 5: what a user would script with the docker CLI to do
# what `taas run examples/pilot-api/scope.json --sandbox docker --offline` does, with the same
# hardening, and nothing more (no report, no JUnit parsing, no per-step logs).
#
#   benchmarks/pilot-api-docker.sh WORKSPACE WHEELHOUSE [IMAGE]
#
# WORKSPACE is the example's folder, WHEELHOUSE a folder of wheels that holds pytest and its
# dependencies (benchmarks/run makes one with `pip download`), IMAGE defaults to python:3.11-slim.
# Steps: create a hardened container (no network, no capabilities, no-new-privileges, nobody,
# read-only root, tmpfs /tmp, pids/memory/CPU limits, tini) with an anonymous volume at /sandbox,
# copy the workspace in (`docker cp` of a tar stream owned by nobody), start it, make a venv with
# pytest from the wheelhouse (no index), seed the database, start the gateway, wait for its health
# check, run pytest and the two checks, clean the database, remove the container.
# Exits non-zero when any step fails; the container is removed in every case.
set -euo pipefail
workspace="${1:?usage: pilot-api-docker.sh WORKSPACE WHEELHOUSE [IMAGE]}"
wheels="${2:?usage: pilot-api-docker.sh WORKSPACE WHEELHOUSE [IMAGE]}"
image="${3:-python:3.11-slim}"
workspace="$(cd "$workspace" && pwd)"
wheels="$(cd "$wheels" && pwd)"

name="bench-pilot-$$-$RANDOM"
cleanup() { docker rm -f "$name" >/dev/null 2>&1 || true; }
trap cleanup EXIT

docker create --name "$name" --init --network none --cap-drop ALL --security-opt no-new-privileges \
    --pids-limit 256 --memory 1g --memory-swap 1g --cpus 2 --read-only \
    --tmpfs /tmp:rw,exec,nosuid,nodev,size=512m,mode=1777 --user 65534:65534 \
    -v /sandbox -v "$wheels:/wheels:ro" \
    -e HOME=/tmp -e LANG=C.UTF-8 -e PYTHONUNBUFFERED=1 -e PYTHONDONTWRITEBYTECODE=1 -e TMPDIR=/tmp \
    -e PATH=/tmp/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    "$image" sleep infinity >/dev/null

# The workspace as a tar stream owned by nobody, into the volume (the root filesystem is read-only).
tar -C "$(dirname "$workspace")" --numeric-owner --owner=65534 --group=65534 \
    --exclude=__pycache__ --exclude=.pytest_cache --exclude=.git \
    --transform "s|^$(basename "$workspace")|workspace|" -cf - "$(basename "$workspace")" |
    docker cp - "$name:/sandbox"
docker start "$name" >/dev/null

x() { docker exec -w /sandbox/workspace "$name" "$@"; }

x sh -c 'python3 -m venv --without-pip --system-site-packages /tmp/venv &&
    /tmp/venv/bin/python -m pip install --no-index --find-links /wheels --disable-pip-version-check --no-input --quiet pytest'
x python3 scripts/seed_db.py
docker exec -d -w /sandbox/workspace "$name" python3 -m gateway.server --port 3000
x sh -c 'i=0; until curl -fsS -o /dev/null http://127.0.0.1:3000/health 2>/dev/null; do
    i=$((i + 1)); [ "$i" -lt 200 ] || exit 1; sleep 0.1; done'
status=0
x python3 -m pytest tests/test_core.py -p no:cacheprovider -q >/dev/null || status=1
x curl -fsS http://localhost:3000/health >/dev/null || status=1
x python3 -c 'import json, sys, urllib.request as u; got = sorted(r["prefix"] for r in json.load(u.urlopen("http://127.0.0.1:3000/routes", timeout=5))); want = ["/api/orders", "/api/users", "/static"]; sys.exit(0 if got == want else "mismatch: expected %s" % want)' || status=1
x python3 scripts/clean_db.py || status=1
exit "$status"
