#!/bin/sh
# Runs the maestro_taas tests against the taas built from this repository
# (build it first: swift build --product taas). Extra arguments go to pytest.
set -eu
cd "$(dirname "$0")/../../.."
exec "${PYTHON:-python3}" -m pytest clients/python/tests "$@"
