"""Fixtures of the maestro_taas tests. They run the REAL taas binary built from this repository.

The binary is $MAESTRO_TAAS_BIN, else <repo>/.build/debug/taas (run `swift build --product taas`);
without one, the tests that need it are skipped. Runs use the jail sandbox (the host's python3,
which must have pytest) and taas's usual cache (TAAS_CACHE_DIR, or its default).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CLIENT_ROOT = HERE.parent
REPO_ROOT = CLIENT_ROOT.parent.parent
SOURCE = CLIENT_ROOT / "src"
EXAMPLE = REPO_ROOT / "examples" / "pilot-api"

# Test the package in this checkout (whether or not some maestro-taas is installed).
sys.path.insert(0, str(SOURCE))

#: Seconds a single run may take before the test fails (a healthy run here takes 1 to 3 s).
RUN_TIMEOUT = float(os.environ.get("MAESTRO_TAAS_TEST_TIMEOUT", "60"))


def taas_binary() -> Path:
    configured = os.environ.get("MAESTRO_TAAS_BIN")
    return Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "taas"


@pytest.fixture(scope="session")
def taas_bin() -> str:
    binary = taas_binary()
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        pytest.skip(
            f"no taas binary at {binary}: run `swift build --product taas` in {REPO_ROOT} "
            "(or set MAESTRO_TAAS_BIN) to run the maestro_taas tests against the real taas"
        )
    return str(binary)


@pytest.fixture
def harness(taas_bin: str, tmp_path: Path) -> Any:
    from maestro_taas import TaaSHarness

    return TaaSHarness(binary=taas_bin, sandbox="jail", out_dir=tmp_path / "out")


@pytest.fixture
def pilot_copy(tmp_path: Path) -> Path:
    """A copy of examples/pilot-api (without generated files)."""
    target = tmp_path / "pilot-api"
    shutil.copytree(
        EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache", "data", "taas-out", "*.pyc")
    )
    return target
