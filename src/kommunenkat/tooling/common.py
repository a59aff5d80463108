"""What the build (:mod:`~kommunenkat.tooling.build`) and the preview
(:mod:`~kommunenkat.tooling.preview`) share: the work directory and its execution cache, the
build's messages (:func:`say`, :func:`rel`), the lock that serialises builds of one project, the
book's configuration and pages in book order, and how a Sphinx problem line is made readable
(:func:`locate`, :func:`sphinx_problem`).
"""

from __future__ import annotations

import fcntl
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kommunenkat.core import paths

WORK = paths.BUILD / "work"
CACHE = WORK / "_build" / ".jupyter_cache"
# Fingerprints of notebooks verified to be in the execution cache (see execute.py).
CACHED_INDEX = WORK / ".cached-notebooks.json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Sphinx/docutils problem lines: "path:line: WARNING: …", "path: ERROR: …", "WARNING: …".
PROBLEM = re.compile(r"(^|: )(WARNING|ERROR|CRITICAL|SEVERE):")


def say(msg: str, err: bool = False) -> None:
    print(f"build: {msg}", file=sys.stderr if err else sys.stdout, flush=True)


def rel(path: Path | str) -> str:
    try:
        return str(Path(path).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


@contextmanager
def build_lock() -> Iterator[None]:
    """Serialise builds of one project (e.g. `make preview` and `make test` at once)."""
    paths.BUILD.mkdir(parents=True, exist_ok=True)
    with open(paths.BUILD / ".build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("another build of this project is running; waiting for it to finish")
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def book_config() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8")) or {}


def toc_sources() -> list[Path]:
    """Source files of every page in _toc.yml, in book order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(paths.ROOT / "_toc.yml")
    out = []
    for docname in site_map:
        for suffix in (".ipynb", ".md", ".rst"):
            f = paths.ROOT / (docname + suffix)
            if f.is_file():
                out.append(f)
                break
    return out


def locate(problem: str) -> str:
    """Make a problem line readable: relative path; myst-nb's notebook line numbers
    ((cell index + 1) * 10000 + line in cell) as 'cell N, line L'."""
    problem = problem.replace(str(paths.ROOT) + os.sep, "")

    def cell(m: re.Match[str]) -> str:
        n = int(m.group(2))
        return f"{m.group(1)}:{n} (cell {n // 10000}, line {n % 10000}):"

    return re.sub(r"^(\S+\.ipynb):(\d{5,}):", cell, problem)


def sphinx_problem(line: str) -> str | None:
    """A line of Sphinx's output that reports a problem, made readable (:func:`locate`);
    None for any other line (and for the kernels' harmless warning about TCP)."""
    plain = ANSI.sub("", line).rstrip()
    if PROBLEM.search(plain) and "Kernel is running over TCP" not in plain:
        return locate(plain)
    return None
