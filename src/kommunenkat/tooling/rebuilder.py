"""The preview's rebuild: what happens after each save (:class:`Rebuilder`).

1. The book's YAML and the pages' code fences are checked first
   (:func:`~kommunenkat.tooling.prechecks.check_sources`), so a slip gets ``file:line: message``
   instead of a traceback.
2. ``data/`` is validated and notebooks whose code changed are executed (as in ``make html``,
   into the same execution cache: :mod:`~kommunenkat.tooling.execute`).
3. Sphinx builds *incrementally* into ``_build/preview/_build/html`` (only changed pages are read
   and written) with one Sphinx application kept between rebuilds (:class:`SphinxSession`). Pages
   that had a problem, and pages whose notebook was executed, are read again every time until
   they build cleanly.
4. Only a build without problems, during which no source was saved again, is copied into
   ``_build/preview/html``, the folder that is served. A failed build leaves it as it was and
   returns its problems, one line each (``notebooks/01_simple_service.md:57: …``).

:func:`rebuild_once` builds once and prints the report (``python -m kommunenkat.tooling.preview
--once``); the server (:mod:`~kommunenkat.tooling.preview`) runs a :class:`Rebuilder` in a
build process of its own.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from kommunenkat.core import paths
from kommunenkat.tooling.common import CACHE, build_lock, rel, sphinx_problem
from kommunenkat.tooling.execute import LAST_EXECUTED, execute_pending, save_cached_index_again
from kommunenkat.tooling.prechecks import check_data, check_sources

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders.html import StandaloneHTMLBuilder

PREVIEW = paths.BUILD / "preview"
OUT = PREVIEW / "_build" / "html"  # Sphinx's incremental output
DOCTREES = PREVIEW / "_build" / ".doctrees"
SERVED = PREVIEW / "html"  # the last good build: what the browser sees


def _docname(path: Path) -> str:
    return path.resolve().relative_to(paths.ROOT).with_suffix("").as_posix()


def short_execution_failure(text: str) -> str:
    """execute.describe_failure's first line (it names the .md line of the failing statement),
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
        self.app: Sphinx | None = None
        self.stack: contextlib.ExitStack | None = None
        self.warnings = io.StringIO()
        self.outdated: set[str] = set()
        self.assets: tuple[list[Any], list[Any], list[Any], list[Any]] = ([], [], [], [])

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
        config["nb_execution_cache_path"] = str(CACHE)
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
        self.outdated = set()
        self.app = app
        # The scripts and stylesheets every page gets, as registered at start-up (see build()).
        # The builder's lists are private to Sphinx's HTML builder; no public API resets them.
        builder = cast("StandaloneHTMLBuilder", app.builder)
        self.assets = (
            list(app.registry.js_files),
            list(app.registry.css_files),
            list(builder._js_files),
            list(builder._css_files),
        )

    def _also_outdated(self, app, env, added, changed, removed):
        return sorted(d for d in self.outdated if d in env.found_docs)

    def build(self, outdated: set[str], restart: bool) -> list[str]:
        """Build; return the problem lines (empty: success)."""
        if restart or self.app is None:
            self._start(fresh=not (OUT / "index.html").exists())
        app = self.app
        assert app is not None  # started just now, or kept from the last build
        self.outdated = set(outdated)
        _restart_chapter_numbering(app)
        # pydata-sphinx-theme adds each page's ``DOCUMENTATION_OPTIONS.pagename`` script with
        # app.add_js_file while the page is written, which also registers it for good: a second
        # build in the same application gave every page the pagename scripts of all pages of
        # the first (the last one wins). Each build starts from the start-up assets instead.
        registry, builder = app.registry, cast("StandaloneHTMLBuilder", app.builder)
        js, css, builder_js, builder_css = self.assets
        registry.js_files[:], registry.css_files[:] = js, css
        builder._js_files[:], builder._css_files[:] = builder_js, builder_css
        self.warnings.seek(0)
        self.warnings.truncate()
        try:
            app.build(False, [])
        except BaseException:
            self.close()  # never reuse an application that stopped half-way
            raise
        problems = []
        for raw in self.warnings.getvalue().splitlines():
            problem = sphinx_problem(raw)
            if problem:
                problems.append(problem)
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


def sources_snapshot() -> dict[str, tuple[int, int]]:
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
            before = sources_snapshot()
            result = self.attempt(changed)
            after = sources_snapshot()
            if after == before:
                break
            # The files saved meanwhile (the watcher reports them as well), to be read again.
            changed = [
                Path(f) for f in before.keys() | after.keys() if before.get(f) != after.get(f)
            ]
        if result[0]:
            _root_redirect()
            _sync(OUT, SERVED)
        return result

    def attempt(self, changed: list[Path]) -> tuple[bool, list[str], list[str]]:
        """One build of the files as they are now: checks, data, execution, Sphinx."""
        start = time.time()
        changed = [p for p in changed if p.exists()]
        names = sorted({rel(p) for p in changed})
        times = [("start", time.time())]
        problems: list[str] = []
        log = io.StringIO()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                problems = check_sources()
                times.append(("sources", time.time()))
                if not problems and not check_data():
                    problems = _data_problems(log.getvalue())
                times.append(("data", time.time()))
                if not problems:
                    with build_lock():
                        ok, _ = execute_pending(self.jobs)
                    times.append(("execute", time.time()))
                    self.outdated |= {_docname(p) for p in LAST_EXECUTED}
                    # Saved pages are read again whatever their times say. Sphinx takes a page
                    # for current when its file is older than the end of its last reading: a
                    # save while Sphinx was reading it (seconds on a loaded machine) was never
                    # read, and the preview kept showing the page before that save.
                    self.outdated |= {_docname(p) for p in changed}
                    if not ok:
                        failures = log.getvalue().split("  ERROR ")[1:]
                        problems = [short_execution_failure(x) for x in failures] or [
                            "a notebook failed: " + _last_line(log.getvalue())
                        ]
                if not problems:
                    restart = _needs_restart(changed) or bool(LAST_EXECUTED)
                    with build_lock():
                        problems = self.sphinx.build(self.outdated, restart)
                        times.append(("sphinx", time.time()))
                        save_cached_index_again()
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
    """One rebuild without a server; prints the report. True if the book built cleanly."""
    ok, _problems, report = Rebuilder(jobs)([])
    for line in report:
        print(f"preview: {line}" if not line.startswith("  ") else line, flush=True)
    return ok
