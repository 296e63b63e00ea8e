"""The client installs anywhere: `pip install clients/python` in a plain venv (no system site
packages), with no package index at all (`--no-index`, as with no network)."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

CLIENT_ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(sys.version_info < (3, 11), reason="offline builds need tomllib (Python 3.11+)")
def test_a_plain_venv_installs_the_client_with_no_index(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(env_dir)
    python = env_dir / "bin" / "python"
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--no-index", "--disable-pip-version-check", str(CLIENT_ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    probe = subprocess.run(
        [str(python), "-c",
         "import maestro_taas, importlib.resources as r, importlib.metadata as m;"
         "print(m.version('maestro-taas'), (r.files('maestro_taas') / 'py.typed').is_file(), maestro_taas.__file__)"],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    version, typed, location = probe.stdout.split()
    assert version == "0.1.0"
    assert typed == "True"
    assert str(env_dir) in location, "imported from the venv, not the checkout"
    script = subprocess.run([str(env_dir / "bin" / "maestro-taas"), "--help"], capture_output=True, text=True, timeout=60)
    assert script.returncode == 0 and "run" in script.stdout
