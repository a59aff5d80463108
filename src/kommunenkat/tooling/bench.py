"""Build and test times against their targets: ``python -m kommunenkat.tooling.bench`` (``make
bench``).

Everything runs in a temporary copy of the project (sharing ``.venv``), so the bench never
touches the user's ``_build``. Each figure is the median of ``--runs`` runs (default 3; ``make
test`` and the fresh-venv set-ups once each unless ``--runs-long`` says otherwise).

This module holds what is measured (:func:`run`, the targets in ``TARGETS``) and the helpers
for working in a copy of the project (:func:`copy_project`, :func:`make`, :func:`build_env`,
:func:`tree_digest`, :func:`first_chapter`, :func:`edit_prose`, …), which the tests use too. How
a measurement is taken and reported is :mod:`~kommunenkat.tooling.measure`'s.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.tooling.build import NOT_INPUTS
from kommunenkat.tooling.measure import (
    Result,
    executed_count,
    fresh_venv_setup,
    ours_against_stock,
    page_sizes,
    pytest_seconds,
    pytest_summary,
    timed,
    wait_for_page,
)

ROOT = paths.ROOT
# What a project copy leaves out: what is not an input of the book (one list, in build).
IGNORED = NOT_INPUTS
CACHE_REL = Path("_build/work/_build/.jupyter_cache")


# --------------------------------------------------------------------------- project copies
def _ignore(_dir: str, names: list[str]) -> set[str]:
    return {n for n in names if n in IGNORED or n.endswith(".egg-info")}


def copy_project(dest: Path, *, execution_cache: bool = False, site: bool = False) -> Path:
    """Copy the project's sources (not _build, not .venv) to ``dest``; link .venv.

    Modification times are kept, so make sees the shared .venv as up to date. With
    ``execution_cache`` the jupyter-cache of the last build comes along; with ``site`` the
    published ``_build/html`` (the "last good build").
    """
    shutil.copytree(ROOT, dest, ignore=_ignore, symlinks=True)
    (dest / ".venv").symlink_to(ROOT / ".venv")
    # The installed npm packages come along too: "offline once the dependencies are installed"
    # (without them `make` would run `npm ci`, which offline waits minutes for its retries).
    node_modules = Path("tools") / "a11y" / "node_modules"
    if (ROOT / node_modules).exists():  # a copy: `npm ci` in the copy must not touch the original
        shutil.copytree(ROOT / node_modules, dest / node_modules, symlinks=True)
    if execution_cache and (ROOT / CACHE_REL).exists():
        shutil.copytree(ROOT / CACHE_REL, dest / CACHE_REL)
        # The record of what the cached outputs were computed from (else the cache is dropped).
        for stamp in ("_build/work/.execution-inputs", "_build/.data-validated"):
            if (ROOT / stamp).exists():
                shutil.copy2(ROOT / stamp, dest / stamp)
    if site and (ROOT / "_build" / "html").exists():
        shutil.copytree(ROOT / "_build" / "html", dest / "_build" / "html")
    return dest


def source_date_epoch() -> str:
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    out = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True
    )
    return out.stdout.strip() or "1700000000"


def build_env(**extra: str) -> dict[str, str]:
    """The environment for make in a copy: the same SOURCE_DATE_EPOCH as this tree, no state
    inherited from an enclosing make or build."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHONPATH", "VIRTUAL_ENV"}
        and not k.startswith("KOMMUNENKAT_")
    }
    env["SOURCE_DATE_EPOCH"] = source_date_epoch()
    env.update(extra)
    return env


def can_go_offline() -> tuple[bool, str]:
    """Whether commands can run in a fresh network namespace (root, or user namespaces)."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False, "unshare (util-linux) or ip (iproute2) is not installed"
    probe = subprocess.run(
        ["unshare", "-n", "ip", "link", "set", "lo", "up"], capture_output=True, text=True
    )
    if probe.returncode != 0:
        return False, f"unshare -n is not permitted here: {probe.stderr.strip()}"
    return True, ""


def offline_prefix() -> list[str]:
    """Run the command with no network but loopback (notebook kernels talk over 127.0.0.1)."""
    return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "offline"]


def make(
    project: Path,
    *targets: str,
    offline: bool = False,
    env: dict | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess:
    cmd = ["make", "--no-print-directory", "-C", str(project), *targets]
    if offline:
        cmd = offline_prefix() + cmd
    return subprocess.run(
        cmd, env=env or build_env(), capture_output=True, text=True, timeout=timeout
    )


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root``, by relative path."""
    out = {}
    for f in sorted(root.rglob("*")):
        if f.is_file():
            out[f.relative_to(root).as_posix()] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def tree_differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    diffs = [f"differs: {k}" for k in sorted(set(a) & set(b)) if a[k] != b[k]]
    diffs += [f"only in the first build: {k}" for k in sorted(set(a) - set(b))]
    diffs += [f"only in the second build: {k}" for k in sorted(set(b) - set(a))]
    return diffs


# --------------------------------------------------------------------------- measuring
TARGETS = {
    "clean HTML build (all notebooks executed)": (40, "s"),
    "RATIO clean HTML build: ours / stock": (0.57, "×"),
    "RATIO prose edit: preview / stock incremental": (1.0, "×"),
    "make test (after set-up), in the bench's copy": (120, "s"),
}


def _failed(what: str, exc: Exception, results: list[Result], names: list[str]) -> None:
    """A measurement that broke: say so (its log is in the bench's logs/) and go on; its targets
    are listed as FAILED."""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    print(f"bench: {what} FAILED: {first}", flush=True)
    for name in names:
        if not any(r.name == name for r in results):
            target, unit = TARGETS[name]
            results.append(Result(name, target, unit, failed=True, note=f"FAILED: {first}"))


def first_chapter(project: Path) -> Path:
    for line in (project / "_toc.yml").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\s*-\s*file:\s*(notebooks/\S+)", line)
        if m and (project / (m.group(1) + ".md")).exists():
            return project / (m.group(1) + ".md")
    raise RuntimeError("no chapter (notebooks/*.md) in _toc.yml")


def edit_prose(chapter: Path, n: int) -> None:
    """Change one paragraph of a chapter's prose (as an editor would): the first line after
    the page title that is plain text, outside code cells."""
    lines = chapter.read_text(encoding="utf-8").splitlines()
    in_code, in_header = False, lines[0] == "---"
    for i, line in enumerate(lines):
        if i and in_header and line == "---":
            in_header = False
            continue
        if in_header:
            continue
        if line.startswith("```"):
            in_code = not in_code
            continue
        if not in_code and line.strip() and not line.startswith(("#", ":", "(", "|", "```")):
            lines[i] = re.sub(r" \(bench edit \d+\)$", "", line) + f" (bench edit {n})"
            break
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")


def stock_env(stock: Path) -> dict[str, str]:
    """What the stock tool needs to build this book: the package importable, as in make."""
    env = build_env(PYTHONPATH=str(stock / "src"), MPLCONFIGDIR=str(stock / ".mplconfig"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as the Makefile: same bytecode cache for both
    return env


def stock_build(stock: Path) -> list[str]:
    """The stock tool's own command: `jupyter-book build .` (incremental when _build exists)."""
    return [str(Path(sys.executable).with_name("jupyter-book")), "build", str(stock)]


class PreviewServer:
    """`make preview PORT=N` in a project copy, until stop()."""

    def __init__(self, project: Path, log: Path) -> None:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "-C", str(project), "preview", f"PORT={self.port}"],
            env=build_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.logpath = log

    def wait_built(self, timeout: float = 900) -> None:
        start = time.time()
        while time.time() - start < timeout:
            text = self.logpath.read_text(encoding="utf-8", errors="replace")
            if "preview: rebuilt in" in text:
                return
            if "preview: FAILED" in text or self.proc.poll() is not None:
                raise RuntimeError(f"the preview did not build:\n{text[-3000:]}")
            time.sleep(0.5)
        raise RuntimeError("the preview's first build took too long")

    def stop(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def run(
    runs: int = 3, runs_long: int = 1, only: set[str] | None = None, keep: bool = False
) -> list[Result]:
    def want(key: str) -> bool:
        return only is None or key in only

    tmp = Path(tempfile.mkdtemp(prefix="kommunenkat-bench-"))
    project = copy_project(tmp / "project")
    env = build_env()
    logs = tmp / "logs"
    logs.mkdir()
    results: list[Result] = []
    make_cmd = ["make", "--no-print-directory"]
    print(
        f"bench: working in {tmp} (SOURCE_DATE_EPOCH={env['SOURCE_DATE_EPOCH']}, "
        f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    try:
        clean = Result("clean HTML build (all notebooks executed)", 40)
        nochange = Result("rebuild, nothing changed", 3)
        # Informational: what a rebuild costs when Sphinx must run (the no-change target is above).
        forced = Result("rebuild, nothing changed, Sphinx forced", None)
        prose = Result("rebuild after a prose edit", 6)
        pdf = Result("PDF build (forced; execution cache warm)", 60)
        # One clean build is the starting point of the pdf and size measurements too; the
        # ratio measurements (stock, preview) make their own.
        baseline = want("html") or want("pdf") or want("size")
        try:
            for i in range(runs if want("html") else 1 if baseline else 0):
                shutil.rmtree(project / "_build", ignore_errors=True)
                _, out = clean.measure(make_cmd + ["html"], project, env, logs / f"clean-{i}.log")
                clean.note = f"{executed_count(out)} notebooks executed"
            if want("html"):
                print(clean.line(), flush=True)
                results.append(clean)
                for i in range(runs):
                    _, out = nochange.measure(
                        make_cmd + ["html"], project, env, logs / f"nochange-{i}.log"
                    )
                    nochange.note = f"{executed_count(out)} notebooks executed" + (
                        "; build skipped: inputs unchanged"
                        if "nothing changed since" in out
                        else ""
                    )
                print(nochange.line(), flush=True)
                results.append(nochange)
                for i in range(runs):
                    _, out = forced.measure(
                        make_cmd + ["html", "BUILD_ARGS=--force"],
                        project,
                        env,
                        logs / f"forced-{i}.log",
                    )
                    forced.note = (
                        f"{executed_count(out)} notebooks executed; fresh Sphinx build "
                        "from the execution cache"
                    )
                print(forced.line(), flush=True)
                results.append(forced)
                chapter = first_chapter(project)
                executed = []
                for i in range(runs):
                    edit_prose(chapter, i)
                    _, out = prose.measure(
                        make_cmd + ["html"], project, env, logs / f"prose-{i}.log"
                    )
                    executed.append(executed_count(out))
                prose.ok_extra = max(executed) == 0
                prose.note = (
                    f"edited a Markdown cell of {chapter.relative_to(project)}; "
                    f"notebooks re-executed: {executed}"
                )
                print(prose.line(), flush=True)
                results.append(prose)
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed(
                "the clean HTML build and rebuilds",
                exc,
                results,
                ["clean HTML build (all notebooks executed)"],
            )
        try:
            if want("stock") or want("preview"):
                # The stock tool on an identical copy of the book, measured alternately with ours.
                stock = copy_project(tmp / "stock")
                senv = stock_env(stock)
            if want("stock"):

                def clean_pair(i: int) -> tuple[float, float]:
                    shutil.rmtree(project / "_build", ignore_errors=True)
                    t, _ = timed(make_cmd + ["html"], project, env, logs / f"ours-clean-{i}.log")
                    shutil.rmtree(stock / "_build", ignore_errors=True)
                    s, _ = timed(stock_build(stock), stock, senv, logs / f"stock-clean-{i}.log")
                    return t, s

                ours_against_stock(
                    results,
                    (
                        "clean HTML build, ours (make html)",
                        "clean HTML build, stock (jupyter-book build .)",
                        "RATIO clean HTML build: ours / stock",
                    ),
                    0.57,
                    runs,
                    clean_pair,
                    "both execute every notebook",
                )
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed(
                "the stock tool's clean build",
                exc,
                results,
                ["RATIO clean HTML build: ours / stock"],
            )
        try:
            if want("preview"):
                if not (project / "_build" / "html").exists():
                    timed(make_cmd + ["html"], project, env, logs / "preview-html.log")
                if not (stock / "_build" / "html").exists():
                    timed(stock_build(stock), stock, senv, logs / "preview-stock.log")
                server = PreviewServer(project, logs / "preview.log")
                try:
                    server.wait_built()
                    chapter, stock_chapter = first_chapter(project), first_chapter(stock)
                    page = chapter.relative_to(project).with_suffix(".html").as_posix()
                    url = f"http://127.0.0.1:{server.port}/{page}"

                    def prose_pair(i: int) -> tuple[float, float]:
                        edit_prose(chapter, 100 + i)
                        t = wait_for_page(url, f"(bench edit {100 + i})")
                        edit_prose(stock_chapter, 100 + i)
                        s, _ = timed(stock_build(stock), stock, senv, logs / f"stock-prose-{i}.log")
                        built = stock / "_build" / "html" / page
                        assert f"(bench edit {100 + i})" in built.read_text(encoding="utf-8")
                        return t, s

                    ours_against_stock(
                        results,
                        (
                            "prose edit to rebuilt page, make preview",
                            "prose edit to rebuilt page, stock incremental",
                            "RATIO prose edit: preview / stock incremental",
                        ),
                        1.0,
                        runs,
                        prose_pair,
                        "edit, then page served/written",
                    )
                finally:
                    server.stop()
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed("the preview", exc, results, ["RATIO prose edit: preview / stock incremental"])
        try:
            if want("pdf"):
                for i in range(runs):
                    shutil.rmtree(project / "_build/work/_build/latex", ignore_errors=True)
                    pdf.measure(
                        make_cmd + ["pdf", "BUILD_ARGS=--force"],
                        project,
                        env,
                        logs / f"pdf-{i}.log",
                    )
                print(pdf.line(), flush=True)
                results.append(pdf)
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed("the PDF build", exc, results, [])
        try:
            if want("size") and (project / "_build/html").exists():
                sizes = page_sizes(project / "_build/html")
                size = Result(
                    "largest chapter page incl. its figures",
                    500,
                    "kB",
                    [max(sizes.values()) / 1000],
                    note=", ".join(f"{Path(k).stem}: {v / 1000:.0f}" for k, v in sizes.items()),
                )
                print(size.line(), flush=True)
                results.append(size)
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed("the page sizes", exc, results, [])
        try:
            if want("test"):
                # The target: `make test` from an empty _build (lint, the book, then pytest).
                test = Result("make test (after set-up), in the bench's copy", 120)
                # Informative, not targets: the two parts of that run, and `make test` again with
                # the book current (lint, book skipped, pytest: what a second `make test` costs).
                book_part = Result("  of it: lint + book (HTML + PDF, empty _build)", None)
                pytest_part = Result("  of it: pytest (tests, nbval, output checks)", None)
                again = Result("make test again, book current (informative)", None)
                for i in range(runs_long):
                    shutil.rmtree(project / "_build", ignore_errors=True)
                    load = os.getloadavg()[0]
                    t, out = test.measure(make_cmd + ["test"], project, env, logs / f"test-{i}.log")
                    test.note = f"load {load:.1f}→{os.getloadavg()[0]:.1f}; {pytest_summary(out)}"
                    seconds = pytest_seconds(out)
                    if seconds is not None:
                        pytest_part.values.append(seconds)
                        book_part.values.append(max(0.0, t - seconds))
                    load = os.getloadavg()[0]
                    _, out = again.measure(
                        make_cmd + ["test"], project, env, logs / f"test-again-{i}.log"
                    )
                    again.note = f"load {load:.1f}→{os.getloadavg()[0]:.1f}; {pytest_summary(out)}"
                for r in (test, book_part, pytest_part, again):
                    if r.values:
                        print(r.line(), flush=True)
                        results.append(r)
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed("make test", exc, results, ["make test (after set-up), in the bench's copy"])
        try:
            if want("setup"):
                for tool in ("uv", "pip"):
                    r = Result(f"set-up: fresh venv + locked deps with {tool}", None)
                    for _ in range(runs_long):
                        r.values.append(fresh_venv_setup(tool, tmp))
                    print(r.line(), flush=True)
                    results.append(r)
        except Exception as exc:  # noqa: BLE001 - report it, measure the rest
            _failed("the fresh venv set-ups", exc, results, [])
    finally:
        if keep:
            print(f"bench: kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per short measurement (median)")
    ap.add_argument(
        "--runs-long", type=int, default=1, help="runs of `make test` and of each fresh-venv set-up"
    )
    ap.add_argument(
        "--only",
        default="",
        help="comma-separated subset of: html,stock,preview,pdf,size,test,setup",
    )
    ap.add_argument("--keep", action="store_true", help="keep the temporary copy and its logs")
    args = ap.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    results = run(args.runs, args.runs_long, only, args.keep)
    print(
        "\nbench: summary (median of runs; load average now "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    for r in results:
        print("  " + r.line())
    targets = [
        r for r in results if r.target is not None and r.name.startswith(("RATIO", "make test"))
    ]
    if targets:
        print("\nbench: the issue's three targets")
        for r in targets:
            print("  " + r.line())
    return 0 if all(r.ok is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
