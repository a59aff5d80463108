"""Step 2 of a build: execute the notebooks whose code is not in the execution cache.

:func:`execute_pending` runs them up to ``jobs`` at a time in worker processes, each with a fresh
kernel, into the same jupyter-cache Jupyter Book reads (``_build/work/_build/.jupyter_cache``),
so Sphinx then finds every output there. A cell that raises is reported by
:func:`describe_failure` with the file, the ``.md`` line, the cell and the traceback.

Which notebooks are pending is decided cheaply: a fingerprint of each notebook's code
(``_fingerprint``) that was found in the cache before is not looked up again
(``_build/work/.cached-notebooks.json``). The cache itself is emptied when the package (but for
the tooling), ``data/`` or the locked dependencies change, since jupyter-cache keys only on the
notebooks' code.

Ctrl-C: the workers ignore SIGINT and run in sessions of their own (``worker_init``); the
parent stops them (``stop_workers``), keeps what was executed, and re-raises
KeyboardInterrupt to the caller.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import suppress
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.inputs.validated import data_digest
from kommunenkat.tooling.common import (
    ANSI,
    CACHE,
    CACHED_INDEX,
    WORK,
    book_config,
    rel,
    say,
    toc_sources,
)


def _is_notebook(path: Path, text: str) -> bool:
    """Like myst_nb.core.read.is_myst_markdown_notebook, without importing myst-nb."""
    if path.suffix == ".ipynb":
        return True
    if path.suffix != ".md" or not text.startswith("---"):
        return False
    import yaml

    lines = text.splitlines()[1:]
    end = next((i for i, x in enumerate(lines) if x.startswith(("---", "..."))), len(lines))
    try:
        meta = yaml.safe_load("\n".join(lines[:end]))
    except yaml.YAMLError:
        return False
    if not isinstance(meta, dict):
        return False
    jupytext = meta.get("jupytext") or {}
    fmt = (jupytext.get("text_representation") or {}) if isinstance(jupytext, dict) else {}
    return meta.get("file_format") == "mystnb" or fmt.get("format_name") == "myst"


def _read_notebook(path: Path, text: str):
    """Read a notebook exactly as myst-nb does (so the cache keys match)."""
    from myst_nb.core.config import NbParserConfig
    from myst_nb.core.read import create_nb_reader
    from myst_parser.config.main import MdParserConfig

    reader = create_nb_reader(str(path), MdParserConfig(), NbParserConfig(), text)
    return reader.read(text)


def _fingerprint(path: Path, text: str) -> str:
    """A cheap key that changes whenever jupyter-cache's key can change.

    For .ipynb: the code cells (source and metadata) and the kernelspec, like jupyter-cache. For
    MyST .md notebooks: the YAML header and every ``{code-cell}`` block, options included. So a
    prose edit keeps it, and the cache need not be opened (if the text is parsed differently, e.g.
    a fence left open, myst-nb finds no cached outputs and executes the notebook itself).
    """
    if path.suffix == ".ipynb":
        nb = json.loads(text)
        code = [
            (c.get("source"), c.get("metadata"))
            for c in nb.get("cells", [])
            if c.get("cell_type") == "code"
        ]
        key = json.dumps([nb.get("metadata", {}).get("kernelspec"), code], sort_keys=True)
    elif path.suffix == ".md":
        header = re.match(r"---\n.*?\n---\n", text, re.S)
        cells = re.findall(r"^```\{code-cell\}.*?^```[ \t]*$", text, re.S | re.M)
        key = json.dumps([header.group(0) if header else "", cells])
    else:
        key = text
    return hashlib.sha256(key.encode()).hexdigest()


def _cache_stamp() -> str:
    db = CACHE / "global.db"
    if not db.exists():
        return ""
    st = db.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _pending_notebooks(config: dict) -> tuple[list[tuple[Path, object, str]], list[str]]:
    """Notebooks in the toc whose code is not in the execution cache.

    Returns (pending [(path, notebook, fingerprint)], fingerprints of the cached ones).
    Notebooks whose fingerprint was verified in the cache before (and the cache is unchanged since)
    are skipped without opening the cache: that keeps unchanged and prose-only rebuilds fast.
    """
    from fnmatch import fnmatch

    excluded = (config.get("execute") or {}).get("exclude_patterns") or []
    try:
        index = json.loads(CACHED_INDEX.read_text())
    except (OSError, ValueError):
        index = {}
    known = set(index.get("fingerprints", [])) if index.get("cache") == _cache_stamp() else set()
    candidates, cached = [], []
    for path in toc_sources():
        text = path.read_text(encoding="utf-8")
        if not _is_notebook(path, text):
            continue
        if any(fnmatch(rel(path), pat) or fnmatch(path.name, pat) for pat in excluded):
            continue
        fp = _fingerprint(path, text)
        if fp in known:
            cached.append(fp)
        else:
            candidates.append((path, text, fp))
    if not candidates:
        return [], cached
    from jupyter_cache import get_cache

    cache = get_cache(str(CACHE))
    pending = []
    for path, text, fp in candidates:
        nb = _read_notebook(path, text)
        mode = (nb.metadata.get("mystnb") or {}).get("execution_mode", "cache")
        if mode != "cache":  # the notebook asks for something else: leave it to myst-nb
            continue
        try:
            cache.match_cache_notebook(nb)
            cached.append(fp)
        except KeyError:
            pending.append((path, nb, fp))
    return pending, cached


def save_cached_index_again() -> None:
    """After Sphinx read the cache (which touches its database), record the same fingerprints
    with the cache's new stamp, so that the next build need not open the cache again."""
    with suppress(OSError, ValueError):
        index = json.loads(CACHED_INDEX.read_text())
        _save_cached_index(index.get("fingerprints", []))


def _save_cached_index(fingerprints) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    CACHED_INDEX.write_text(
        json.dumps({"cache": _cache_stamp(), "fingerprints": sorted(set(fingerprints))})
    )


def _execute_one(path: str, nb, timeout: int, allow_errors: bool):
    """Worker: execute one notebook in its own directory with a fresh kernel (like myst-nb)."""
    from jupyter_cache.executors.utils import single_nb_execution

    overrides = nb.metadata.get("mystnb") or {}
    timeout = overrides.get("execution_timeout", timeout)
    allow_errors = overrides.get("execution_allow_errors", allow_errors)
    try:
        result = single_nb_execution(
            nb,
            cwd=str(Path(path).parent),
            timeout=timeout,
            allow_errors=allow_errors,
            meta_override=True,
        )
    except Exception as exc:  # kernel died, could not start, …
        return path, nb, None, f"{type(exc).__name__}: {exc}"
    if result.err is not None:
        return path, result.nb, result.time, f"{type(result.err).__name__}: {result.err}"
    return path, result.nb, result.time, None


def source_line(path: Path, fence: int, source: str, n: int) -> int:
    """The .md line of line ``n`` of a code cell whose ``{code-cell}`` fence is on line ``fence``
    (the cell's options, such as ``:tags:``, sit between the fence and the code)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return fence + n
    first = next((x for x in source.splitlines() if x.strip()), None)
    skipped = source.splitlines().index(first) if first is not None else 0
    for k in range(fence, min(len(lines), fence + 50)):  # lines[fence] follows the fence
        if first is not None and lines[k] == first:
            return k + 1 - skipped + n - 1
    return fence + n


def describe_failure(path: Path, nb, error: str) -> str:
    """'file[:line], cell N (code cell K): ErrorName: message' plus the cell's traceback.

    For a MyST .md notebook the line is the .md line of the statement that raised (from the
    traceback's 'Cell In[..], line L'), else the cell's first line of code.
    """
    source_map = nb.metadata.get("source_map")  # each cell's first line in a MyST .md notebook
    plain = ANSI.sub("", error).strip()
    m = re.search(r"executing the following cell:\n-+\n(.*?)\n-+\n", plain, re.S)
    code_no = 0
    for i, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        code_no += 1
        errs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if errs or (m and cell.get("source", "").strip() == m.group(1).strip()):
            if errs:
                tb = ANSI.sub("", "\n".join(errs[0].get("traceback", [])))
                head = f"{errs[0].get('ename')}: {errs[0].get('evalue')}"
            else:
                tb, head = plain, plain.splitlines()[-1]
            line = ""
            if source_map and i < len(source_map):
                at = re.findall(r"Cell In\[\d+\], line (\d+)", tb)
                n = int(at[-1]) if at else 1
                line = f":{source_line(path, source_map[i], cell.get('source', ''), n)}"
            where = f"{rel(path)}{line}, cell {i + 1} (code cell {code_no})"
            return f"{where}: {head}\n" + "\n".join("      " + x for x in tb.splitlines())
    return f"{rel(path)}: {plain}"


# The build tooling (kommunenkat.tooling): no notebook imports it, so it does not affect any
# output (import-linter's layers contract in pyproject.toml keeps it so).
TOOLING = "tooling"


def _execution_inputs_key() -> str:
    """What notebook outputs depend on besides the notebooks' code: the package (code, styles),
    data/, the locked dependencies and Python. jupyter-cache keys only on the notebook."""
    h = hashlib.sha256(data_digest().encode())
    package = paths.PACKAGE
    for f in sorted(
        p
        for p in package.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.relative_to(package).parts[0] != TOOLING
    ):
        h.update(f.relative_to(package).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    lock = paths.ROOT / "requirements.txt"
    if lock.exists():
        h.update(lock.read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


def _drop_stale_cache() -> None:
    """Empty the execution cache when what the outputs depend on changed, so that no page shows
    outputs of older code or data."""
    stamp = WORK / ".execution-inputs"
    key = _execution_inputs_key()
    if stamp.exists() and stamp.read_text() == key:
        return
    if CACHE.exists():
        say(
            "the package, data/ or the dependencies changed since the notebooks ran: "
            "executing every notebook again"
        )
        shutil.rmtree(CACHE)
        CACHED_INDEX.unlink(missing_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key)


LAST_EXECUTED: list[Path] = []  # notebooks the last execute_pending() executed (the preview)


def worker_init() -> None:
    """Workers and their kernels leave Ctrl-C to the parent, which stops them.

    A session of their own keeps the terminal's Ctrl-C from reaching the kernels (a kernel
    interrupted while starting prints a traceback); the parent kills the workers and their
    kernels (stop_workers).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent forks the workers with SIGINT blocked (execute_pending): a Ctrl-C between the
    # fork and the line above would have raised KeyboardInterrupt here, with a traceback. Now
    # that SIGINT is ignored, unblock it (a Ctrl-C that came meanwhile is discarded).
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    with suppress(OSError):
        os.setsid()
    # The kernels' own messages (a warning about TCP on every start; a kernel that is stopped
    # with its worker says so) go to a log file, not between the build's messages. A failing
    # cell is reported by the parent with its traceback (describe_failure).
    with suppress(OSError):
        WORK.mkdir(parents=True, exist_ok=True)
        fd = os.open(WORK / "kernels.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 2)
        os.close(fd)


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers and their kernels at once after Ctrl-C.

    Not with SIGTERM (as before): while a worker executes a notebook, nbclient has its own
    SIGTERM handler in it, which only schedules a cleanup of the kernel as it is at that moment
    and lets the worker go on. If that cleanup runs before the kernel's process exists (seen
    with a delay added to the kernel's preparation), it finds nothing to stop, the signal is
    used up, and the worker starts the kernel and executes the notebook until the cell timeout
    (``execute.timeout``, 180 s), while the build waits for it on exit (the pool's atexit join;
    the worker and its kernel also keep the build's output open). SIGSTOP and SIGKILL cannot be
    caught: each worker is stopped (it can start no further kernel), its kernels are killed
    with their process groups (jupyter-client starts each kernel in a session of its own, so
    the kernels neither get the Ctrl-C nor die with the worker), then the worker itself.
    """
    import psutil  # a dependency of ipykernel, so always installed with the book's kernel

    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with suppress(psutil.Error):
            worker = psutil.Process(proc.pid)
            worker.suspend()
            for child in worker.children(recursive=True):
                with suppress(OSError):
                    os.killpg(child.pid, signal.SIGKILL)  # the kernel and what it started
                with suppress(psutil.Error):
                    child.kill()  # not a group leader: e.g. forked, not yet in its own session
            worker.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with suppress(Exception):
            proc.join(3)


def execute_pending(jobs: int) -> tuple[bool, int]:
    """Execute what the cache lacks, ``jobs`` notebooks at a time. Returns (ok, number executed).

    Each notebook is stored in the execution cache as soon as it has run, so Ctrl-C (or a
    failure elsewhere) keeps the work already done.
    """
    LAST_EXECUTED.clear()
    config = book_config()
    execute = config.get("execute") or {}
    if execute.get("execute_notebooks", "auto") != "cache":
        return True, 0  # only the cache mode is pre-executed; anything else is left to myst-nb
    _drop_stale_cache()
    pending, cached = _pending_notebooks(config)
    n_cached = len(cached)
    if not pending:
        _save_cached_index(cached)
        say(f"executed 0 notebooks ({n_cached} unchanged in the execution cache)")
        return True, 0
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    timeout = execute.get("timeout", 30)
    allow_errors = bool(execute.get("allow_errors", False))
    jobs = max(1, min(jobs, len(pending)))
    say(
        f"executing {len(pending)} notebook(s), {jobs} at a time: "
        + ", ".join(rel(p) for p, _, _ in pending)
    )
    start = time.time()
    failures, done = [], 0
    cache = get_cache(str(CACHE))
    fps = {str(p): fp for p, _, fp in pending}
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=worker_init)
    try:
        # The workers are forked by the first submit; SIGINT stays blocked until each of them
        # ignores it (worker_init). Here a Ctrl-C of that moment arrives when it is unblocked.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            futures = [
                pool.submit(_execute_one, str(p), nb, timeout, allow_errors) for p, nb, _ in pending
            ]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        for fut in as_completed(futures):
            path, nb, seconds, error = fut.result()
            path = Path(path)
            if error:
                failures.append(describe_failure(path, nb, error))
                say(f"FAILED {rel(path)}", err=True)
                continue
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                check_validity=False,
                overwrite=True,
            )
            cached.append(fps[str(path)])
            _save_cached_index(cached)
            LAST_EXECUTED.append(path)
            done += 1
            say(f"executed {rel(path)} in {seconds:.1f} s")
    except KeyboardInterrupt:
        stop_workers(pool)
        _save_cached_index(cached)
        say(
            f"interrupted: {done} notebook(s) executed before Ctrl-C are kept in the execution "
            "cache; nothing was built",
            err=True,
        )
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    _save_cached_index(cached)
    if failures:
        say(
            f"{len(failures)} notebook(s) failed; nothing was built and the published book is "
            "unchanged:",
            err=True,
        )
        for f in failures:
            print(f"  ERROR {f}", file=sys.stderr)
        return False, done
    say(
        f"executed {done} notebook(s) in {time.time() - start:.1f} s "
        f"({n_cached} unchanged in the execution cache)"
    )
    return True, done
