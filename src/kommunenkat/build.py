"""Build the book: ``python -m kommunenkat.build html|pdf|preview``.

The book is built into ``_build/work`` and copied to ``_build/html`` only when the build succeeded,
so a failed build (bad data, a failing cell, a missing glue key, a broken reference: every Sphinx
warning is an error) never replaces the last good site.
"""

from __future__ import annotations

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


def jupyter_book(builder: str, *extra: str) -> int:
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
