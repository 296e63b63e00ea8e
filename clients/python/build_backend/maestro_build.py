"""An in-tree PEP 517 build backend for the maestro-taas client, standard library only.

pip builds a package in an isolated environment and installs the backend's requirements into it;
setuptools would have to be downloaded there, which fails with no network. This backend needs
nothing: `pip install ./clients/python` works in a plain venv, offline. It builds a pure-Python
wheel (and an sdist) from the [project] table of pyproject.toml and the files under src/.
"""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # pragma: no cover - Python 3.9 and 3.10
    tomllib = None

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = "py3-none-any"


def _project():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        if tomllib is None:
            import tomli  # provided by get_requires_for_build_* on old Pythons

            return tomli.load(handle)["project"]
        return tomllib.load(handle)["project"]


def _dist_name(project):
    return project["name"].replace("-", "_")


def _metadata(project):
    lines = [
        "Metadata-Version: 2.1",
        "Name: %s" % project["name"],
        "Version: %s" % project["version"],
        "Summary: %s" % project.get("description", ""),
    ]
    if "requires-python" in project:
        lines.append("Requires-Python: %s" % project["requires-python"])
    for requirement in project.get("dependencies", []):
        lines.append("Requires-Dist: %s" % requirement)
    for classifier in project.get("classifiers", []):
        lines.append("Classifier: %s" % classifier)
    readme = project.get("readme")
    body = ""
    if isinstance(readme, str) and os.path.exists(os.path.join(ROOT, readme)):
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(ROOT, readme), encoding="utf-8") as handle:
            body = "\n" + handle.read()
    return "\n".join(lines) + "\n" + body


def _entry_points(project):
    scripts = project.get("scripts", {})
    if not scripts:
        return None
    return "[console_scripts]\n" + "".join("%s = %s\n" % item for item in sorted(scripts.items()))


def _package_files():
    """The files of the packages under src/, as (path in the wheel, path on disk)."""
    source = os.path.join(ROOT, "src")
    found = []
    for folder, folders, files in os.walk(source):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            found.append((os.path.relpath(path, source).replace(os.sep, "/"), path))
    return found


def _record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (name, digest, len(data))


def _dist_info(project):
    info = "%s-%s.dist-info" % (_dist_name(project), project["version"])
    files = {
        info + "/METADATA": _metadata(project).encode(),
        info + "/WHEEL": (
            "Wheel-Version: 1.0\nGenerator: maestro_build\nRoot-Is-Purelib: true\nTag: %s\n" % TAG
        ).encode(),
    }
    entry_points = _entry_points(project)
    if entry_points:
        files[info + "/entry_points.txt"] = entry_points.encode()
    return info, files


def _requires():
    return [] if tomllib is not None else ["tomli"]


def get_requires_for_build_wheel(config_settings=None):
    return _requires()


def get_requires_for_build_sdist(config_settings=None):
    return _requires()


def get_requires_for_build_editable(config_settings=None):
    return _requires()


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _project()
    info, files = _dist_info(project)
    for name, data in files.items():
        path = os.path.join(metadata_directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    return info


def _write_wheel(wheel_directory, contents):
    project = _project()
    info, files = _dist_info(project)
    name = "%s-%s-%s.whl" % (_dist_name(project), project["version"], TAG)
    records = []
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as wheel:
        for arcname, data in list(contents) + list(files.items()):
            wheel.writestr(arcname, data)
            records.append(_record_line(arcname, data))
        records.append(info + "/RECORD,,")
        wheel.writestr(info + "/RECORD", "\n".join(records) + "\n")
    return name


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    contents = []
    for arcname, path in _package_files():
        with open(path, "rb") as handle:
            contents.append((arcname, handle.read()))
    return _write_wheel(wheel_directory, contents)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    project = _project()
    pth = "%s.pth" % _dist_name(project)
    return _write_wheel(wheel_directory, [(pth, (os.path.join(ROOT, "src") + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    project = _project()
    base = "%s-%s" % (_dist_name(project), project["version"])
    name = base + ".tar.gz"
    members = ["pyproject.toml", "README.md", "build_backend/maestro_build.py"]
    members += ["src/" + arcname for arcname, _ in _package_files()]
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as archive:
        for member in members:
            path = os.path.join(ROOT, member)
            if os.path.exists(path):
                archive.add(path, arcname=base + "/" + member)
        metadata = ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n" % (project["name"], project["version"])).encode()
        header = tarfile.TarInfo(base + "/PKG-INFO")
        header.size = len(metadata)
        archive.addfile(header, io.BytesIO(metadata))
    return name
