"""Live preview for editors: ``python -m kommunenkat.tooling.preview [--port N] [--jobs N]
[--once]`` (``make preview``).

Serving, watching and reloading the browser are sphinx-autobuild's (its watcher, its Starlette
app with the reload script, uvicorn); this module is the server around them (:func:`serve`):

- The port is checked before any build work (:func:`port_problem`: a port in use is named, with
  the command that picks another).
- Every rebuild runs in a build process forked from the server (:class:`Worker`), which
  imported Sphinx, Jupyter Book and myst-nb once at start-up; what a rebuild does is
  :class:`~kommunenkat.tooling.rebuilder.Rebuilder`'s. Its output goes to
  ``_build/preview/build.log``; the server prints the rebuild's report.
- The folder served is ``_build/preview/html``, the last good build; the browser reloads by
  itself after a good rebuild. After a failed one the served pages show its problems in a
  banner (:class:`BannerMiddleware`) until they are fixed.
- Ctrl-C stops the server and a running build at once.

``--once`` builds once without a server (:func:`~kommunenkat.tooling.rebuilder.rebuild_once`).

The preview is for looking while writing; it is not byte-reproducible and never published:
``make html`` / ``make book`` still build the published book afresh.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kommunenkat.core import paths
from kommunenkat.tooling.rebuilder import (
    PREVIEW,
    SERVED,
    Rebuilder,
    rebuild_once,
    sources_snapshot,
)

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

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


def say(msg: str) -> None:
    print(f"preview: {msg}", flush=True)


# --------------------------------------------------------------------------- the build process
def _worker_main(conn: Connection, jobs: int) -> None:
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
        self.proc: BaseProcess | None = None
        self.conn: Connection | None = None

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
        assert self.conn is not None  # the pipe of the process started now or before
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

            before = sources_snapshot()
            await build([])

            async def saved_meanwhile() -> None:
                # Saves between the first build and the watcher's start are not reported by
                # it: compare the files once the watcher runs.
                nonlocal before
                while True:
                    await asyncio.sleep(2)
                    now = sources_snapshot()
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
