"""Build the book: ``python -m kommunenkat.tooling.build html|pdf|preview [--jobs N] [--force]``.

A build never publishes a broken book:

1. The pages' YAML headers and code fences are checked (``file:line`` of a stray or unclosed
   fence), then ``data/`` is validated (the same check as ``make check-data``); a mistake in
   either stops here (:mod:`~kommunenkat.tooling.prechecks`).
2. Notebooks whose code is not in the execution cache are executed, up to ``--jobs`` at a time
   (default: 2, or ``KOMMUNENKAT_JOBS``), into the same jupyter-cache Jupyter Book uses. A cell that
   raises stops the build here, naming the file, the cell and the error
   (:mod:`~kommunenkat.tooling.execute`).
3. Jupyter Book/Sphinx builds into ``_build/work`` with every warning an error (``-n -W
   --keep-going``: a missing glue key, a broken cross-reference, …); the problems are listed
   again at the end with file and line (for notebooks: cell and line) (:func:`jupyter_book`,
   this module).
4. Only then is the result copied to ``_build/html`` (swapped in by renaming) or ``_build/pdf``
   (:func:`html`, :func:`pdf`).

When no file of the project (name, size, modification time), the locked environment or
``SOURCE_DATE_EPOCH`` changed since the last successful build, nothing is rebuilt (``--force``
rebuilds anyway).

Sphinx always builds afresh from the execution cache (``--all``, empty output directory), so the
published book is the same as a clean build's; the cache itself is emptied when the package, the
data or the dependencies change (jupyter-cache only looks at the notebooks' code).

``preview`` starts the live preview (:mod:`~kommunenkat.tooling.preview`) with the same
``--jobs``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.tooling.common import (
    ANSI,
    WORK,
    build_lock,
    rel,
    say,
    sphinx_problem,
)
from kommunenkat.tooling.execute import execute_pending, save_cached_index_again
from kommunenkat.tooling.prechecks import check_data, sources_ok

SITE = paths.BUILD / "html"
PDF_DIR = paths.BUILD / "pdf"
PDF_NAME = "kommunenkat.pdf"
STRICT = ["-n", "-W", "--keep-going"]


def jupyter_book(builder: str, *extra: str) -> int:
    """Run Jupyter Book strictly; echo its output; list the problems again at the end."""
    exe = Path(sys.executable).with_name("jupyter-book")
    # Every build is a fresh Sphinx build from the execution cache (about 2 s here): incremental
    # builds re-read only changed pages, so they keep stale images, stale cross-page glue, and
    # let an unchanged broken page "succeed" the second time; and myst-nb's CSS gets a checksum
    # query only when an earlier build left it in the output, so pages differ from a clean build.
    shutil.rmtree(WORK / "_build" / builder, ignore_errors=True)
    cmd = [
        str(exe),
        "build",
        str(paths.ROOT),
        "--path-output",
        str(WORK),
        "--builder",
        builder,
        *STRICT,
        "--all",
        *extra,
    ]
    print("+", " ".join(cmd[1:]), flush=True)
    problems, executed = [], 0
    proc = subprocess.Popen(
        cmd,
        cwd=paths.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            sys.stdout.write(line)
            plain = ANSI.sub("", line).rstrip()
            problem = sphinx_problem(plain)
            if problem:
                problems.append(problem)
            elif "Executing notebook" in plain:
                executed += 1
    except KeyboardInterrupt:  # Jupyter Book got the Ctrl-C too; its traceback is not shown
        with suppress(Exception):
            proc.terminate()
            proc.wait(5)
        raise
    rc = proc.wait()
    sys.stdout.flush()
    if executed:
        say(f"Jupyter Book executed {executed} notebook(s) itself")
    if rc != 0 or problems:
        rc = rc or 1
        say(f"{builder} build FAILED (exit {rc}); {len(problems)} problem(s):", err=True)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
    return rc


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


def _copy_atomic(src: Path, dest: Path) -> None:
    tmp = dest.with_name(dest.name + ".new")
    shutil.copy2(src, tmp)
    os.replace(tmp, dest)


# Not inputs of the book: build outputs, environments, caches, generated translations.
NOT_INPUTS = {
    ".git",
    ".venv",
    "_build",
    ".mplconfig",
    "__pycache__",
    ".pytest_cache",
    "node_modules",
    ".ipynb_checkpoints",
    ".jupyter_cache",
    ".ruff_cache",
}


def _inputs_fingerprint(builder: str, extra: tuple[str, ...]) -> str:
    """Name, size and modification time of every file in the project, the locked environment and
    the variables that reach the output. Builds are fresh (see jupyter_book), so equal
    fingerprints mean an equal book."""
    h = hashlib.sha256(
        json.dumps(
            [
                builder,
                extra,
                sys.version,
                [
                    os.environ.get(k)
                    for k in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED", "FORCE_SOURCE_DATE")
                ],
            ]
        ).encode()
    )
    for dirpath, dirnames, filenames in os.walk(paths.ROOT):
        dirnames[:] = sorted(
            d for d in dirnames if d not in NOT_INPUTS and not d.endswith(".egg-info")
        )
        for name in sorted(filenames):
            if name.endswith(".mo"):
                continue
            st = os.stat(os.path.join(dirpath, name))
            h.update(
                f"{os.path.relpath(dirpath, paths.ROOT)}/{name}\0{st.st_size}\0"
                f"{st.st_mtime_ns}\0".encode()
            )
    installed = Path(sys.prefix) / ".installed"
    if installed.exists():
        h.update(str(installed.stat().st_mtime_ns).encode())
    return h.hexdigest()


def _unchanged(builder: str, extra: tuple[str, ...], output: Path) -> tuple[bool, str]:
    """(True, fingerprint) if nothing changed since the last successful build of ``output``."""
    key = _inputs_fingerprint(builder, extra)
    last = WORK / f".inputs-{builder}"
    same = output.exists() and last.exists() and last.read_text() == key
    if not same:
        last.unlink(missing_ok=True)
    return same, key


def _remember(builder: str, key: str) -> None:
    (WORK / f".inputs-{builder}").write_text(key)


def _prepare(jobs: int) -> bool:
    if not sources_ok() or not check_data():
        return False
    ok, _ = execute_pending(jobs)
    return ok


def html(*extra: str, jobs: int = 2, force: bool = False) -> int:
    with build_lock():
        same, key = _unchanged("html", extra, SITE / "index.html")
        if same and not force:
            say(
                f"nothing changed since the last successful HTML build: {rel(SITE)} is current "
                "(--force rebuilds anyway)"
            )
            return 0
        if not _prepare(jobs):
            say(f"HTML build FAILED; {rel(SITE)} left unchanged.", err=True)
            return 1
        rc = jupyter_book("html", *extra)
        if rc != 0:
            say(f"HTML build FAILED (exit {rc}); {rel(SITE)} left unchanged.", err=True)
            return rc
        save_cached_index_again()
        _swap_in(WORK / "_build" / "html", SITE)
        _remember("html", key)
    say(f"HTML site at {SITE / 'index.html'}")
    return 0


def _latex_errors(log: Path) -> list[str]:
    """'! message' lines of a LaTeX log with the input line ('l.NN …') that follows each."""
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("! "):
            where = next((x for x in lines[i + 1 : i + 12] if re.match(r"l\.\d+", x)), "")
            out.append(f"{rel(log.with_suffix('.tex'))}: {line[2:]} {where}".rstrip())
    return out


def pdf(*extra: str, jobs: int = 2, force: bool = False) -> int:
    latex = WORK / "_build" / "latex"
    built = latex / PDF_NAME
    with build_lock():
        same, key = _unchanged("latex", extra, PDF_DIR / PDF_NAME)
        if same and not force and (not SITE.exists() or (SITE / PDF_NAME).exists()):
            say(
                f"nothing changed since the last successful PDF build: {rel(PDF_DIR / PDF_NAME)} "
                "is current (--force rebuilds anyway)"
            )
            return 0
        if not _prepare(jobs):
            say(f"PDF build FAILED; {rel(PDF_DIR / PDF_NAME)} left unchanged.", err=True)
            return 1
        rc = jupyter_book("latex", *extra)
        if rc == 0:
            built.unlink(missing_ok=True)  # never mistake an old PDF for a new one
            # Dates inside the PDF (and TeX's \today) come from SOURCE_DATE_EPOCH, not the clock.
            env = dict(os.environ, FORCE_SOURCE_DATE="1")
            print(f"+ make -C {rel(latex)} all-pdf", flush=True)
            rc = subprocess.call(["make", "all-pdf"], cwd=latex, env=env)
            if rc != 0 or not built.exists():
                rc = rc or 1
                say(f"PDF build FAILED: LaTeX exit {rc}:", err=True)
                for e in _latex_errors(latex / PDF_NAME.replace(".pdf", ".log")):
                    print(f"  {e}", file=sys.stderr)
        if rc != 0:
            say(
                f"PDF build FAILED (exit {rc}); {rel(PDF_DIR / PDF_NAME)} left unchanged.", err=True
            )
            return rc
        PDF_DIR.mkdir(parents=True, exist_ok=True)
        _copy_atomic(built, PDF_DIR / PDF_NAME)
        if SITE.exists():
            _copy_atomic(built, SITE / PDF_NAME)
        _remember("latex", key)
    say(f"PDF at {PDF_DIR / PDF_NAME}")
    return 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"html", "pdf", "preview"}:
        print(
            "usage: python -m kommunenkat.tooling.build html|pdf|preview [--jobs N] [--force] "
            "[jupyter-book args]",
            file=sys.stderr,
        )
        return 2
    jobs = int(os.environ.get("KOMMUNENKAT_JOBS", "2"))
    extra, force = [], False
    args = iter(argv[1:])
    for a in args:
        if a == "--force":
            force = True
        elif a == "--jobs":
            jobs = int(next(args))
        elif a.startswith("--jobs="):
            jobs = int(a.split("=", 1)[1])
        else:
            extra.append(a)
    os.chdir(paths.ROOT)
    if argv[0] == "preview":
        from kommunenkat.tooling import preview  # the preview never imports the build

        return preview.main(["--jobs", str(jobs), *extra])
    try:
        return {"html": html, "pdf": pdf}[argv[0]](*extra, jobs=jobs, force=force)
    except KeyboardInterrupt:
        say(f"stopped by Ctrl-C; {rel(SITE)} and {rel(PDF_DIR)} are unchanged", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
