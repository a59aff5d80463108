"""Build the book: ``python -m kommunenkat.build html|pdf|preview``.

The book is built into ``_build/work`` and copied to ``_build/html`` only when the build succeeded,
so a failed build (bad data, a failing cell, a missing glue key, a broken reference: every Sphinx
warning is an error) never replaces the last good site.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path

from . import paths

WORK = paths.BUILD / "work"
SITE = paths.BUILD / "html"
PDF_DIR = paths.BUILD / "pdf"
PDF_NAME = "kommunenkat-2023.pdf"
STRICT = ["-n", "-W", "--keep-going"]


CACHE = WORK / "_build" / ".jupyter_cache"
INPUTS_STAMP = WORK / "inputs.sha256"


def inputs_digest() -> str:
    """Hash of what notebooks read besides their own code: the package and the data.

    jupyter-cache keys on the notebooks' code cells only, so a change in ``src/`` or ``data/``
    would otherwise leave stale outputs in the book.
    """
    h = hashlib.sha256()
    for base in (paths.ROOT / "src", paths.DATA):
        for f in sorted(base.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                h.update(str(f.relative_to(paths.ROOT)).encode())
                h.update(f.read_bytes())
    return h.hexdigest()


def invalidate_cache_if_inputs_changed() -> bool:
    """Clear the execution cache when package or data changed; True if Sphinx must re-read all."""
    digest = inputs_digest()
    if INPUTS_STAMP.exists() and INPUTS_STAMP.read_text() == digest:
        return False
    if CACHE.exists():
        print("build: package or data changed since the last build; re-executing notebooks")
        shutil.rmtree(CACHE)
    WORK.mkdir(parents=True, exist_ok=True)
    INPUTS_STAMP.write_text(digest)
    return True


def jupyter_book(builder: str, *extra: str) -> int:
    if invalidate_cache_if_inputs_changed():
        extra = ("--all", *extra)
    exe = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(exe), "build", str(paths.ROOT), "--path-output", str(WORK), "--builder", builder,
           *STRICT, *extra]
    print("+", " ".join(cmd[1:]), flush=True)
    return subprocess.call(cmd, cwd=paths.ROOT)


def _swap_in(src: Path, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".new")
    old = dest.with_name(dest.name + ".old")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    pdf = PDF_DIR / PDF_NAME
    if pdf.exists():
        shutil.copy2(pdf, tmp / PDF_NAME)
    shutil.rmtree(old, ignore_errors=True)
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def html(*extra: str) -> int:
    rc = jupyter_book("html", *extra)
    if rc != 0:
        print(f"build: HTML build FAILED (exit {rc}); {SITE} left unchanged.", file=sys.stderr)
        return rc
    _swap_in(WORK / "_build" / "html", SITE)
    print(f"build: HTML site at {SITE / 'index.html'}")
    return 0


def pdf(*extra: str) -> int:
    rc = jupyter_book("pdflatex", *extra)
    built = WORK / "_build" / "latex" / PDF_NAME
    if rc != 0 or not built.exists():
        print(f"build: PDF build FAILED (exit {rc}); see {WORK / '_build' / 'latex'}",
              file=sys.stderr)
        return rc or 1
    PDF_DIR.mkdir(parents=True, exist_ok=True)
    shutil.copy2(built, PDF_DIR / PDF_NAME)
    if SITE.exists():
        shutil.copy2(built, SITE / PDF_NAME)
    print(f"build: PDF at {PDF_DIR / PDF_NAME}")
    return 0


WATCHED = ["book", "notebooks", "_config.yml", "_toc.yml", "data", "src"]


def _snapshot() -> dict[Path, float]:
    out = {}
    for name in WATCHED:
        p = paths.ROOT / name
        files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
        for f in files:
            if "_build" not in f.parts and ".ipynb_checkpoints" not in f.parts:
                out[f] = f.stat().st_mtime
    return out


def preview(port: int = 8000) -> int:
    """Serve the site and rebuild whenever a chapter, page or data file is saved."""
    html()
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"preview: http://127.0.0.1:{port}/ (Ctrl-C to stop); rebuilding on save")
    seen = _snapshot()
    try:
        while True:
            time.sleep(1)
            now = _snapshot()
            if now != seen:
                seen = now
                start = time.time()
                rc = html()
                print(f"preview: rebuilt in {time.time() - start:.1f} s"
                      + ("" if rc == 0 else " – FAILED, showing the last good build"))
                handler.keywords["directory"] = str(SITE)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"html", "pdf", "preview"}:
        print("usage: python -m kommunenkat.build html|pdf|preview", file=sys.stderr)
        return 2
    os.chdir(paths.ROOT)
    return {"html": html, "pdf": pdf, "preview": preview}[argv[0]](*argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
