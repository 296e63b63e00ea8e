/// The Python program that compiles a workspace's sources to bytecode inside the sandbox, before
/// any step of the scope has run: `python -I -c SCRIPT REQUEST OUT ROOT`.
///
/// It only reads, parses and compiles source text; it imports nothing from the workspace. Each
/// line of `REQUEST` is `KIND<TAB>DIGEST<TAB>RELATIVE-PATH`; a file whose digest no longer
/// matches is skipped. `plain` files become checked hash-based pycs (PEP 552), which CPython
/// validates against the source on import. `pytest` files are rewritten and written by pytest's
/// own functions, so the pyc is exactly the one pytest itself would write. `OUT/layout.json`, written
/// first, names the magic number, the cache tags and the kind of pytest's pyc header (the same for
/// every pass with the same interpreter and pytest, whatever files it compiled). Each pyc appears
/// complete (by rename), so a pass cut short by its timeout still leaves what it finished.
enum BytecodeCompiler {
    static let script = #"""
        import hashlib, importlib.util, inspect, io, json, os, sys
        from importlib._bootstrap_external import _code_to_hash_pyc
        request, out, root = sys.argv[1:4]
        layout = {"magic": importlib.util.MAGIC_NUMBER.hex(), "plain_tag": sys.implementation.cache_tag}
        try:
            from pathlib import Path
            from _pytest.assertion import rewrite
            layout["pytest_tag"] = rewrite.PYTEST_TAG
            hashed = "source_hash" in inspect.signature(rewrite._write_pyc_fp).parameters
            layout["pytest_header"] = "hash" if hashed else "timestamp"
        except Exception:
            rewrite = None
        with open(os.path.join(out, "layout.json"), "w", encoding="utf-8") as file:
            json.dump(layout, file)
        with open(request, encoding="utf-8") as lines:
            for line in lines:
                kind, digest, relative = line.rstrip("\n").split("\t", 2)
                path = os.path.join(root, relative)
                try:
                    with open(path, "rb") as source_file:
                        source = source_file.read()
                    if hashlib.sha256(relative.encode() + b"\0" + source).hexdigest() != digest:
                        continue
                    if kind == "pytest":
                        if rewrite is None:
                            continue
                        first, code = rewrite._rewrite_test(Path(path), None)
                        buffer = io.BytesIO()
                        rewrite._write_pyc_fp(buffer, first, code)
                        data = buffer.getvalue()
                        if (data[4:8] != b"\0\0\0\0") != hashed:
                            continue
                    else:
                        code = compile(source, path, "exec", dont_inherit=True)
                        data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(source), checked=True))
                except Exception:
                    continue
                with open(os.path.join(out, digest + "." + kind + ".tmp"), "wb") as pyc:
                    pyc.write(data)
                os.rename(os.path.join(out, digest + "." + kind + ".tmp"), os.path.join(out, digest + "." + kind + ".pyc"))
        """#
}
