"""Build the book: ``python -m kommunenkat.tooling.build html|pdf|preview [--jobs N]``.

A build never publishes a broken book:

1. The pages' YAML headers and code fences are checked (``file:line`` of a stray or unclosed
   fence), then ``data/`` is validated (the same check as ``make check-data``); a mistake in
   either stops here.
2. Notebooks whose code is not in the execution cache are executed, up to ``--jobs`` at a time
   (default: 2, or ``KOMMUNENKAT_JOBS``), into the same jupyter-cache Jupyter Book uses. A cell that
   raises stops the build here, naming the file, the cell and the error.
3. Jupyter Book/Sphinx builds into ``_build/work`` with every warning an error (``-n -W
   --keep-going``: a missing glue key, a broken cross-reference, …); the problems are listed
   again at the end with file and line (for notebooks: cell and line).
4. Only then is the result copied to ``_build/html`` (swapped in by renaming) or ``_build/pdf``.

When no file of the project (name, size, modification time), the locked environment or
``SOURCE_DATE_EPOCH`` changed since the last successful build, nothing is rebuilt (``--force``
rebuilds anyway).

Sphinx always builds afresh from the execution cache (``--all``, empty output directory), so the
published book is the same as a clean build's; the cache itself is emptied when the package, the
data or the dependencies change (jupyter-cache only looks at the notebooks' code).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager, suppress
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.inputs.validated import VALIDATED_ENV, data_digest, validation_key

WORK = paths.BUILD / "work"
SITE = paths.BUILD / "html"
PDF_DIR = paths.BUILD / "pdf"
PDF_NAME = "kommunenkat.pdf"
STRICT = ["-n", "-W", "--keep-going"]
CACHE = WORK / "_build" / ".jupyter_cache"
# Fingerprints of notebooks verified to be in the execution cache (see _pending_notebooks).
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
def build_lock():
    """Serialise builds of one project (e.g. `make preview` and `make test` at once)."""
    paths.BUILD.mkdir(parents=True, exist_ok=True)
    with open(paths.BUILD / ".build.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say("another build of this project is running; waiting for it to finish")
            fcntl.flock(fh, fcntl.LOCK_EX)
        yield


# --------------------------------------------------------------------------- 1. data
def check_data() -> bool:
    """Validate data/; on success tell the notebook kernels (environment) they need not redo it.

    A successful validation is remembered (``_build/.data-validated``) and not repeated while
    the data files and the package's code stay byte-identical.
    """
    stamp = paths.BUILD / ".data-validated"
    key = validation_key()
    if not (stamp.exists() and stamp.read_text() == key):
        from kommunenkat.inputs.validate import validate_all

        report = validate_all(paths.DATA)
        if not report.ok:
            stamp.unlink(missing_ok=True)
            print(report.summary(), file=sys.stderr)
            say(
                "data/ does not validate: nothing was built and the published book is unchanged.",
                err=True,
            )
            return False
        say(
            f"data/ validated: {len(report.files)} files, {len(report.known)} known "
            "inconsistencies of the source"
        )
        paths.BUILD.mkdir(parents=True, exist_ok=True)
        stamp.write_text(key)
    os.environ[VALIDATED_ENV] = data_digest()
    return True


# --------------------------------------------------------------------------- 2. execution
def book_config() -> dict:
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


def _worker_init() -> None:
    """Workers and their kernels leave Ctrl-C to the parent, which stops them.

    A session of their own keeps the terminal's Ctrl-C from reaching the kernels (a kernel
    interrupted while starting prints a traceback); the parent terminates the workers, and each
    kernel ends itself when its parent is gone.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
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


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Terminate the workers (and so their kernels' connections) at once after Ctrl-C."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with suppress(Exception):
            proc.terminate()
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
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)
    try:
        futures = [
            pool.submit(_execute_one, str(p), nb, timeout, allow_errors) for p, nb, _ in pending
        ]
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
        _stop_workers(pool)
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


# --------------------------------------------------------------------------- 3. Sphinx
def locate(problem: str) -> str:
    """Make a problem line readable: relative path; myst-nb's notebook line numbers
    ((cell index + 1) * 10000 + line in cell) as 'cell N, line L'."""
    problem = problem.replace(str(paths.ROOT) + os.sep, "")

    def cell(m: re.Match) -> str:
        n = int(m.group(2))
        return f"{m.group(1)}:{n} (cell {n // 10000}, line {n % 10000}):"

    return re.sub(r"^(\S+\.ipynb):(\d{5,}):", cell, problem)


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
            if PROBLEM.search(plain) and "Kernel is running over TCP" not in plain:
                problems.append(locate(plain))
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


def check_sources() -> bool:
    """The pages' YAML and code fences, checked before anything runs (as the preview does): a
    stray or unclosed ``` is named at its own line, not through the errors it causes below."""
    from kommunenkat.tooling.preview import check_sources as problems_of_sources

    problems = problems_of_sources()
    if problems:
        say("the book's sources have mistakes; nothing was built. Fix:", err=True)
        for p in problems:
            print(f"  {p}", file=sys.stderr, flush=True)
    return not problems


def _prepare(jobs: int) -> bool:
    if not check_sources() or not check_data():
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
        from kommunenkat.tooling import preview

        return preview.main(["--jobs", str(jobs), *extra])
    try:
        return {"html": html, "pdf": pdf}[argv[0]](*extra, jobs=jobs, force=force)
    except KeyboardInterrupt:
        say(f"stopped by Ctrl-C; {rel(SITE)} and {rel(PDF_DIR)} are unchanged", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
