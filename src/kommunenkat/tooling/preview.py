"""Live preview for editors: ``python -m kommunenkat.tooling.preview [--port N]`` (``make
preview``).

Serving, watching and reloading the browser are sphinx-autobuild's (its watcher, its Starlette
app with the reload script, uvicorn). The rebuild it calls is this module's :func:`rebuild`:

1. The book's YAML (``_config.yml``, ``_toc.yml``, the pages' front matter) and the pages'
   code fences are checked first, so a slip gets ``file:line: message`` instead of a traceback.
2. ``data/`` is validated and notebooks whose code changed are executed (as in ``make html``,
   into the same execution cache).
3. Sphinx builds *incrementally* into ``_build/preview/_build/html`` (only changed pages are read
   and written), in a process forked from the server, which imported Sphinx, Jupyter Book and
   myst-nb once at start-up. Pages that had a problem, and pages whose notebook was executed, are
   read again every time until they build cleanly.
4. Only a build without problems is copied into ``_build/preview/html``, the folder that is
   served; the browser then reloads by itself. A failed build leaves it as it was, prints the
   problems first, one line each (``notebooks/01_simple_service.md:57: …``), and the served
   pages show them in a banner until they are fixed.

The preview is for looking while writing; it is not byte-reproducible and never published:
``make html`` / ``make book`` still build the published book afresh.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import io
import os
import re
import shutil
import signal
import socket
import sys
import time
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.tooling import build

PREVIEW = paths.BUILD / "preview"
OUT = PREVIEW / "_build" / "html"  # Sphinx's incremental output
DOCTREES = PREVIEW / "_build" / ".doctrees"
SERVED = PREVIEW / "html"  # the last good build: what the browser sees
# Files whose change the preview ignores: build outputs, environments, editors' temporary files.
IGNORE_DIRS = [
    "_build",
    ".git",
    ".venv",
    ".mplconfig",
    "node_modules",
    ".pytest_cache",
    ".ruff_cache",
    "tests",
    "tools",
    "scripts",
    "locale",
    ".ci",
    ".github",
]
IGNORE_RE = [
    r"__pycache__",
    r"\.ipynb_checkpoints",
    r"\.egg-info",
    r"\.sw[a-p]$",
    r"~$",
    r"/\.#",
    r"/#[^/]*#$",
    r"/4913$",
    r"\.tmp$",
    r"\.pyc$",
]
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})(.*)$")


def say(msg: str) -> None:
    print(f"preview: {msg}", flush=True)


# --------------------------------------------------------------------------- checks before Sphinx
def _yaml_problem(name: str, exc: Exception, offset: int = 0) -> str:
    """'file:line: message' for a YAML error, at the line the editor has to change."""
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return f"{name}: invalid YAML: {problem}"
    line, hint = mark.line + 1, ""
    if "flow" in context and getattr(exc, "context_mark", None) is not None:
        # An unclosed [ or {: the parser notices on a later line; the slip is where it opened.
        line = exc.context_mark.line + 1
        bracket = "[" if "sequence" in context else "{"
        hint = f" (the '{bracket}' opened on this line is not closed)"
    elif "block end" in problem or "indentation" in problem:
        hint = " (check the indentation of this line and the line above)"
    return f"{name}:{line + offset}: invalid YAML: {problem}{hint}"


def check_config() -> list[str]:
    """_config.yml and _toc.yml: valid YAML, a toc Jupyter Book can read, every page exists."""
    import yaml

    problems = []
    for name in ("_config.yml", "_toc.yml"):
        try:
            value = yaml.safe_load((paths.ROOT / name).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(name, exc))
            continue
        except OSError as exc:
            problems.append(f"{name}: cannot be read: {exc.strerror}")
            continue
        if not isinstance(value, dict):
            problems.append(f"{name}:1: expected 'key: value' lines (a YAML mapping)")
    if problems:
        return problems
    from sphinx_external_toc.parsing import MalformedError, parse_toc_yaml

    try:
        parse_toc_yaml(paths.ROOT / "_toc.yml")
    except MalformedError as exc:
        return [f"_toc.yml: {exc}"]
    except Exception as exc:  # noqa: BLE001 - any other reading problem, shown plainly
        return [f"_toc.yml: {type(exc).__name__}: {exc}"]
    text = (paths.ROOT / "_toc.yml").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*-?\s*(?:file|root):\s*(\S+)\s*$", line)
        if m:
            page = m.group(1)
            if not any((paths.ROOT / (page + s)).is_file() for s in (".md", ".ipynb", ".rst")):
                problems.append(f"_toc.yml:{number}: no page {page}.md (check the file name)")
    return problems


def check_page(path: Path) -> list[str]:
    """A page's front matter (YAML between '---' lines) and its code fences."""
    import yaml

    name = build.rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [f"{name}: is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"]
    lines = text.splitlines()
    problems = []
    body = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i, x in enumerate(lines[1:], 1) if x.strip() in ("---", "...")), None)
        if end is None:
            return [f"{name}:1: the header that starts with '---' is never closed with '---'"]
        try:
            header = yaml.safe_load("\n".join(lines[1:end]))
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(name, exc, offset=1))
        else:
            problems += _kernel_problem(name, header, lines[:end])
        body = end + 1
    opened: tuple[int, str, str] | None = None  # (line, marker, info)
    for i in range(body, len(lines)):
        m = FENCE.match(lines[i])
        if not m:
            continue
        marker, info = m.group(1), m.group(2).strip()
        if opened is None:
            if marker[0] == "`" and "`" in info:
                continue  # inline code such as ```x```, not a fence
            opened = (i + 1, marker, info)
            if info.startswith("{") and not re.match(r"^\{[\w:-]+\}", info):
                problems.append(
                    f"{name}:{i + 1}: the fence '{marker}{info}' lacks its closing '}}' "
                    "(write e.g. ```{code-cell} ipython3)"
                )
        elif marker[0] == opened[1][0] and len(marker) >= len(opened[1]) and not info:
            opened = None
        elif marker == opened[1] and marker[0] == "`" and info.startswith("{"):
            # A fence just as long with a directive (```{code-cell}, ```{glue:figure}, …) cannot
            # be inside the open block: that block lacks its closing fence (a stray ``` in the
            # prose, or a code cell whose closing ``` was deleted). Left as it is, the open block
            # swallows what follows (code cells, figures vanish) and only follow-on errors
            # further down would show: name the fence that was not closed, and go on from here.
            problems.append(_unclosed_before(name, opened, i + 1, marker, info))
            opened = (i + 1, marker, info)
        elif marker[0] == ":" and opened[1][0] == ":" and info:
            pass  # a nested colon directive
    if opened is not None:
        line, marker, info = opened
        what = f"'{marker}{info}'" if info else f"'{marker}'"
        problems.append(
            f"{name}:{line}: the fence {what} opened here is never closed "
            f"(add a line '{marker}' where it should end)"
        )
    return problems


def _kernel_problem(name: str, header, lines: list[str]) -> list[str]:
    """A kernel name in the header that is not installed (else: 'NoSuchKernel', no line)."""
    kernel = (
        ((header or {}).get("kernelspec") or {}).get("name") if isinstance(header, dict) else None
    )
    if not kernel:
        return []
    from jupyter_client.kernelspec import KernelSpecManager

    known = sorted(KernelSpecManager().find_kernel_specs())
    if kernel in known:
        return []
    line = next(
        (
            i + 1
            for i, x in enumerate(lines)
            if re.match(rf"^\s+name:\s*['\"]?{re.escape(kernel)}", x)
        ),
        1,
    )
    return [
        f"{name}:{line}: unknown kernel '{kernel}' (the kernels here: {', '.join(known)}; "
        f"write name: {known[0] if known else 'python3'})"
    ]


def _unclosed_before(name: str, opened: tuple[int, str, str], line: int, marker: str, info: str):
    """The message for a fence left open when the next directive fence starts."""
    start, open_marker, open_info = opened
    what = "the code cell" if info.startswith("{code-cell}") else f"'{marker}{info.split()[0]}'"
    if open_info.startswith("{code-cell}"):
        return (
            f"{name}:{start}: the code cell opened here is not closed before {what} on line "
            f"{line} (add a line '{open_marker}' after the cell's last line of code)"
        )
    fence = f"'{open_marker}{open_info}'" if open_info else f"'{open_marker}'"
    return (
        f"{name}:{start}: the fence {fence} opened here is not closed before {what} on line "
        f"{line} (a stray '{open_marker}': delete it; a code block: add a line '{open_marker}' "
        "where it ends)"
    )


def check_sources() -> list[str]:
    problems = check_config()
    if problems:
        return problems
    for page in build.toc_sources():
        problems += check_page(page)
    return problems


# --------------------------------------------------------------------------- the rebuild
def _docname(path: Path) -> str:
    return path.resolve().relative_to(paths.ROOT).with_suffix("").as_posix()


def short_execution_failure(text: str) -> str:
    """build.describe_failure's first line (it names the .md line of the failing statement),
    without the traceback, with a hint for the commonest cause of a SyntaxError."""
    head = text.splitlines()[0]
    m = re.match(r"^(\S+?\.md:\d+), cell \d+ \(code cell (\d+)\): (.*)$", head)
    if not m:
        return head
    where, number, error = m.groups()
    error = re.sub(r" \(\d+\.py, line \d+\)", "", error)  # IPython's temporary file name
    hint = ""
    if error.startswith(("SyntaxError", "IndentationError")):
        hint = " (if this is meant to be prose, move it out of the ```{code-cell} block)"
    return f"{where}: {error} [code cell {number}]{hint}"


class SphinxSession:
    """One Sphinx application kept for incremental rebuilds of the preview.

    Keeping it (rather than starting Sphinx for every build) saves loading the extensions and
    compiling the theme's templates each time. It is started afresh when the configuration,
    the table of contents, the templates, the package or a build error could have changed
    anything else than pages.
    """

    def __init__(self) -> None:
        self.app = None
        self.stack: contextlib.ExitStack | None = None
        self.warnings = io.StringIO()

    def close(self) -> None:
        if self.stack is not None:
            self.stack.close()
        self.app, self.stack = None, None

    def _start(self, fresh: bool) -> None:
        from jupyter_book.config import get_final_config
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils

        self.close()
        toc = paths.ROOT / "_toc.yml"
        config, _meta = get_final_config(
            user_yaml=paths.ROOT / "_config.yml",
            cli_config={
                "external_toc_path": toc.as_posix(),
                "latex_individualpages": False,
                "nitpicky": True,
            },
            sourcedir=paths.ROOT,
            use_external_toc=True,
        )
        config["nb_execution_cache_path"] = str(build.CACHE)
        stack = contextlib.ExitStack()
        stack.enter_context(patch_docutils(None))
        stack.enter_context(docutils_namespace())
        self.stack = stack
        app = Sphinx(
            srcdir=str(paths.ROOT),
            confdir=None,
            outdir=str(OUT),
            doctreedir=str(DOCTREES),
            buildername="html",
            confoverrides=config,
            status=None,
            warning=self.warnings,
            freshenv=fresh,
            warningiserror=False,
            keep_going=True,
        )
        if app.config["use_multitoc_numbering"]:
            import yaml

            if "numbered: true" in yaml.dump(app.config.external_site_map.as_json()):
                app.setup_extension("sphinx_multitoc_numbering")
        app.connect("env-get-outdated", self._also_outdated)
        self.outdated: set[str] = set()
        self.app = app
        # The scripts and stylesheets every page gets, as registered at start-up (see build()).
        self.assets = (
            list(app.registry.js_files),
            list(app.registry.css_files),
            list(app.builder._js_files),
            list(app.builder._css_files),
        )

    def _also_outdated(self, app, env, added, changed, removed):
        return sorted(d for d in self.outdated if d in env.found_docs)

    def build(self, outdated: set[str], restart: bool) -> list[str]:
        """Build; return the problem lines (empty: success)."""
        if restart or self.app is None:
            self._start(fresh=not (OUT / "index.html").exists())
        self.outdated = set(outdated)
        _restart_chapter_numbering(self.app)
        # pydata-sphinx-theme adds each page's ``DOCUMENTATION_OPTIONS.pagename`` script with
        # app.add_js_file while the page is written, which also registers it for good: a second
        # build in the same application gave every page the pagename scripts of all pages of
        # the first (the last one wins). Each build starts from the start-up assets instead.
        registry, builder = self.app.registry, self.app.builder
        js, css, builder_js, builder_css = self.assets
        registry.js_files[:], registry.css_files[:] = js, css
        builder._js_files[:], builder._css_files[:] = builder_js, builder_css
        self.warnings.seek(0)
        self.warnings.truncate()
        try:
            self.app.build(False, [])
        except BaseException:
            self.close()  # never reuse an application that stopped half-way
            raise
        problems = []
        for raw in self.warnings.getvalue().splitlines():
            plain = build.ANSI.sub("", raw).rstrip()
            if build.PROBLEM.search(plain) and "Kernel is running over TCP" not in plain:
                problems.append(build.locate(plain))
        return problems


def _restart_chapter_numbering(app) -> None:
    """Chapter numbers start at 1 again in every build of the kept Sphinx application.

    sphinx-external-toc (1.1.0) numbers chapters across the book's numbered parts with counters
    kept on its toctree collector (``TocTreeCollectorWithStyles``) that only a new Sphinx
    application resets: a second build in the same application went on counting (the chapter
    "1. Metod" became 7, then 13, …) and, all numbers having "changed", Sphinx wrote every
    numbered page again, which made a prose edit cost 10 pages instead of one.
    """
    from sphinx_external_toc.collectors import TocTreeCollectorWithStyles

    for listener in app.events.listeners.get("env-get-updated", []):
        collector = getattr(listener.handler, "__self__", None)
        if isinstance(collector, TocTreeCollectorWithStyles):
            for name in vars(collector):
                if name.startswith("_TocTreeCollectorWithStyles__") and name.endswith("_count"):
                    setattr(collector, name, 0)


def _needs_restart(changed: list[Path]) -> bool:
    """Anything but a page or a data file changed: start Sphinx afresh."""
    for p in changed:
        if not p.exists():  # an editor's temporary file, already gone
            continue
        try:
            parts = p.resolve().relative_to(paths.ROOT).parts
        except ValueError:
            return True
        page = parts[0] in ("book", "notebooks") and p.suffix in (".md", ".ipynb", ".rst")
        if not page and parts[0] != "data":
            return True
    return False


def _sync(src: Path, dest: Path) -> int:
    """Copy new and changed files of src into dest; remove what src no longer has."""
    copied, seen = 0, set()
    for dirpath, _dirs, files in os.walk(src):
        rel_dir = Path(dirpath).relative_to(src)
        (dest / rel_dir).mkdir(parents=True, exist_ok=True)
        for name in files:
            s, d = Path(dirpath) / name, dest / rel_dir / name
            seen.add(rel_dir / name)
            st = s.stat()
            with contextlib.suppress(FileNotFoundError):
                dt = d.stat()
                if dt.st_size == st.st_size and dt.st_mtime_ns == st.st_mtime_ns:
                    continue
            tmp = d.with_name(d.name + ".preview-tmp")
            shutil.copy2(s, tmp)
            os.replace(tmp, d)
            copied += 1
    for dirpath, _dirs, files in os.walk(dest):
        rel_dir = Path(dirpath).relative_to(dest)
        for name in files:
            if rel_dir / name not in seen:
                (Path(dirpath) / name).unlink(missing_ok=True)
    return copied


def _last_line(text: str) -> str:
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return lines[-1] if lines else "no message"


def _data_problems(output: str) -> list[str]:
    errs = [x.strip()[6:] for x in output.splitlines() if x.strip().startswith("ERROR ")]
    return errs or [_last_line(output)]


def _root_redirect() -> None:
    index = OUT / "index.html"
    if not index.exists():
        import yaml
        from jupyter_book.sphinx import REDIRECT_TEXT

        root = yaml.safe_load((paths.ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]
        index.write_text(REDIRECT_TEXT.format(first_page=root + ".html"), encoding="utf-8")


class Rebuilder:
    """What one rebuild does; keeps the Sphinx session and the pages still to re-read."""

    def __init__(self, jobs: int = 2) -> None:
        self.jobs = jobs
        self.sphinx = SphinxSession()
        self.outdated: set[str] = set()

    def __call__(self, changed: list[Path]) -> tuple[bool, list[str], list[str]]:
        """Returns (ok, problems, report lines). Never raises (but for KeyboardInterrupt).

        A save while the build runs means the checks read one version of a page and the
        execution or Sphinx perhaps another: a stale report (say, a follow-on SyntaxError
        instead of the unclosed fence the checks would have named). Such a build is done
        again, so the report is always about the files as they are.

        Its pages are not served either: the checks may have passed the old version of a page
        and Sphinx written the new one, mistake and all. Only a build during which no source
        changed is copied to the served directory.
        """
        for _attempt in range(5):
            before = _sources_snapshot()
            result = self._build(changed)
            if _sources_snapshot() == before:
                break
            changed = []  # the watcher reports the new save's files as well
        if result[0]:
            _root_redirect()
            _sync(OUT, SERVED)
        return result

    def _build(self, changed: list[Path]) -> tuple[bool, list[str], list[str]]:
        start = time.time()
        changed = [p for p in changed if p.exists()]
        names = sorted({build.rel(p) for p in changed})
        times = [("start", time.time())]
        problems: list[str] = []
        log = io.StringIO()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                problems = check_sources()
                times.append(("sources", time.time()))
                if not problems and not build.check_data():
                    problems = _data_problems(log.getvalue())
                times.append(("data", time.time()))
                if not problems:
                    with build.build_lock():
                        ok, _ = build.execute_pending(self.jobs)
                    times.append(("execute", time.time()))
                    self.outdated |= {_docname(p) for p in build.LAST_EXECUTED}
                    if not ok:
                        failures = log.getvalue().split("  ERROR ")[1:]
                        problems = [short_execution_failure(x) for x in failures] or [
                            "a notebook failed: " + _last_line(log.getvalue())
                        ]
                if not problems:
                    restart = _needs_restart(changed) or bool(build.LAST_EXECUTED)
                    with build.build_lock():
                        problems = self.sphinx.build(self.outdated, restart)
                        times.append(("sphinx", time.time()))
                        build.save_cached_index_again()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - the preview must survive anything
            self.sphinx.close()
            where = ", ".join(names) or "the book"
            problems = [f"{where}: {type(exc).__name__}: {exc}".splitlines()[0]]
        seconds = time.time() - start
        if problems:
            self.outdated |= {
                m.group(1) for p in problems if (m := re.match(r"^(\S+?)\.(?:md|ipynb):", p))
            }
            report = [f"FAILED after {seconds:.1f} s; still showing the last good build. Fix:"]
            report += [f"  {p}" for p in problems[:20]]
            if len(problems) > 20:
                report.append(f"  … and {len(problems) - 20} more")
            return False, problems, report
        self.outdated = set()
        what = f" ({', '.join(names[:3])})" if names else ""
        if os.environ.get("KOMMUNENKAT_PREVIEW_TIMES"):
            what += (
                " ["
                + ", ".join(f"{a}: {t - times[i][1]:.2f}" for i, (a, t) in enumerate(times[1:]))
                + "]"
            )
        return True, [], [f"rebuilt in {seconds:.1f} s{what}; the browser reloads by itself"]


def rebuild_once(jobs: int = 2) -> bool:
    ok, _problems, report = Rebuilder(jobs)([])
    for line in report:
        print(f"preview: {line}" if not line.startswith("  ") else line, flush=True)
    return ok


# --------------------------------------------------------------------------- the build process
def _worker_main(conn, jobs: int) -> None:
    """The build process: silenced (kernels' and Sphinx's output go to a log file)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the server, which stops us
    PREVIEW.mkdir(parents=True, exist_ok=True)
    fd = os.open(PREVIEW / "build.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    rebuilder = Rebuilder(jobs)
    while True:
        try:
            changed = conn.recv()
        except (EOFError, OSError):
            return
        try:
            result = rebuilder([Path(p) for p in changed])
        except BaseException as exc:  # noqa: BLE001
            result = (False, [f"{type(exc).__name__}: {exc}"], [f"the rebuild stopped: {exc}"])
        conn.send(result)


class Worker:
    """The build process, forked from the server (so it starts with Sphinx imported)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.proc = None
        self.conn = None

    def _start(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, self.jobs))
        self.proc.start()
        child.close()

    def build(self, changed: list[str]) -> tuple[bool, list[str], list[str]]:
        if self.proc is None or not self.proc.is_alive():
            self._start()
        try:
            self.conn.send(changed)
            return self.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self.proc = None
            msg = "the build process stopped unexpectedly; save again to retry"
            return False, [msg], [msg]

    def stop(self) -> None:
        if self.proc is not None and self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(3)
            if self.proc.is_alive():
                self.proc.kill()
        self.proc = None


# --------------------------------------------------------------------------- serving
class State:
    problems: list[str] = []


def banner() -> bytes:
    """The problems of the last build as a banner at the top of every served page."""
    if not State.problems:
        return b""
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in State.problems[:10])
    return (
        '<div id="preview-problems" role="alert" style="position:fixed;top:0;left:0;right:0;'
        "z-index:10000;background:#fff3cd;color:#3d2e00;border-bottom:3px solid #8a6d00;"
        'padding:0.6em 1em;font:15px/1.4 sans-serif;max-height:40vh;overflow:auto">'
        '<button type="button" onclick="this.parentNode.remove()" style="float:right;'
        'font:inherit;margin-left:1em">Dölj</button>'
        "<strong>Den senaste ändringen kunde inte byggas.</strong> Du ser den senaste "
        "fungerande versionen. Rätta:<ul style='margin:0.3em 0 0 1.2em'>"
        f"{items}</ul></div>"
    ).encode()


class BannerMiddleware:
    """Add the banner (if the last build failed) to every HTML page served."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.datastructures import MutableHeaders

        extra = b""

        async def send_wrapper(message) -> None:
            nonlocal extra
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("Content-Type", "").startswith("text/html"):
                    extra = banner()
                    if extra and "Content-Length" in headers:
                        headers["Content-Length"] = str(int(headers["Content-Length"]) + len(extra))
            elif message["type"] == "http.response.body" and extra:
                if not message.get("more_body", False):
                    message["body"] += extra
            await send(message)

        await self.app(scope, receive, send_wrapper)


def port_problem(host: str, port: int) -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            return (
                f"port {port} is in use ({exc.strerror}): is another preview running? "
                f"Stop it, or choose another port: make preview PORT={port + 1}"
            )
    return None


def _preload() -> None:
    """Import what every rebuild needs once, so the forked build process starts warm."""
    import frictionless  # noqa: F401
    import jupyter_book.config  # noqa: F401
    import jupyter_cache  # noqa: F401
    import myst_nb  # noqa: F401
    import sphinx.application  # noqa: F401
    import sphinx_book_theme  # noqa: F401
    import sphinx_external_toc  # noqa: F401
    import yaml  # noqa: F401

    from kommunenkat.inputs import validate  # noqa: F401


def _sources_snapshot() -> dict[str, tuple[int, int]]:
    """(mtime in ns, size) of every file a build reads."""
    out = {}
    for name in ("book", "notebooks", "data", "src", "_config.yml", "_toc.yml"):
        p = paths.ROOT / name
        for f in [p] if p.is_file() else p.rglob("*"):
            with contextlib.suppress(FileNotFoundError):
                if "__pycache__" not in f.parts and f.is_file():
                    st = f.stat()
                    out[str(f)] = (st.st_mtime_ns, st.st_size)
    return out


PLACEHOLDER = (
    '<!DOCTYPE html><html lang="sv"><meta charset="utf-8"><title>Förhandsvisning</title>'
    "<p>Boken byggs … Sidan laddas om av sig själv när bygget är klart.</p></html>"
)


def serve(host: str = "127.0.0.1", port: int = 8000, jobs: int = 2) -> int:
    problem = port_problem(host, port)
    if problem:
        say(problem)
        return 2
    import asyncio

    import uvicorn
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    worker = Worker(jobs)

    def run_build(changed: list[str]) -> None:
        ok, problems, report = worker.build(changed)
        State.problems = problems
        for line in report:
            print(line if line.startswith("  ") else f"preview: {line}", flush=True)

    class Watcher(RebuildServer):
        """sphinx-autobuild's watcher: the first build, then a rebuild after every save."""

        async def watch(self) -> None:
            import watchfiles

            lock = asyncio.Lock()

            async def build(changed: list[str]) -> None:
                async with lock:
                    await asyncio.to_thread(run_build, changed)
                    self.flag.set()

            before = _sources_snapshot()
            await build([])

            async def saved_meanwhile() -> None:
                # Saves between the first build and the watcher's start are not reported by
                # it: compare the files once the watcher runs.
                nonlocal before
                while True:
                    await asyncio.sleep(2)
                    now = _sources_snapshot()
                    if now == before:
                        return
                    before = now
                    await build([])

            check = asyncio.create_task(saved_meanwhile())
            try:
                async for changes in watchfiles.awatch(
                    *self.paths, watch_filter=lambda _, path: not self.ignore(path)
                ):
                    changed = sorted({str(Path(p).resolve()) for _, p in changes})
                    await build(changed)
            finally:
                check.cancel()

        @contextlib.asynccontextmanager
        async def lifespan(self, _app):
            task = asyncio.create_task(self.main())
            yield
            worker.stop()  # Ctrl-C: stop a running build at once
            self.should_exit.set()
            await task

    _preload()
    SERVED.mkdir(parents=True, exist_ok=True)
    if not (SERVED / "index.html").exists():
        (SERVED / "index.html").write_text(PLACEHOLDER, encoding="utf-8")
    ignore = IgnoreFilter([str(paths.ROOT / d) for d in IGNORE_DIRS], IGNORE_RE)
    url_host = f"{host}:{port}"
    watcher = Watcher([paths.ROOT], ignore, change_callback=None)
    app = Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Mount("/", app=StaticFiles(directory=SERVED, html=True), name="static"),
        ],
        middleware=[
            Middleware(JavascriptInjectorMiddleware, ws_url=url_host),
            Middleware(BannerMiddleware),
        ],
        lifespan=watcher.lifespan,
    )
    say(f"serving http://{url_host}/ (Ctrl-C stops); building, then rebuilding when you save")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)
    except KeyboardInterrupt:
        pass
    finally:
        worker.stop()
    say("stopped")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kommunenkat.tooling.preview", description=__doc__)
    ap.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("KOMMUNENKAT_JOBS", "2")))
    ap.add_argument("--once", action="store_true", help="build once (no server) and exit")
    args = ap.parse_args(argv)
    os.chdir(paths.ROOT)
    if args.once:
        return 0 if rebuild_once(args.jobs) else 1
    return serve(args.host, args.port, args.jobs)


if __name__ == "__main__":
    sys.exit(main())
