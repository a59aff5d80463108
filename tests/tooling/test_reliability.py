"""Reliability: broken inputs never publish, builds are reproducible and offline, privacy holds.

The slow tests build in temporary copies of the project (sharing .venv) and never touch this
tree's _build. Test classes are the unit `make test` distributes over pytest-xdist workers
(--dist loadscope), so each class keeps its own copy of the project.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
import tomllib
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from kommunenkat.core import paths
from kommunenkat.inputs import privacy
from kommunenkat.tooling import bench, build, common, execute

ROOT = paths.ROOT
SITE = ROOT / "_build" / "html"
CORPUS = tomllib.loads((Path(__file__).parents[1] / "corpus" / "cases.toml").read_text("utf-8"))
MINIMAL_ROOT = "# Korpus\n\nEn minimal bok för testerna: startsidan och ett kapitel.\n"


def _digest_or_empty(site: Path) -> dict[str, str]:
    return bench.tree_digest(site) if site.exists() else {}


def _last_good_site(project: Path) -> dict[str, str]:
    """Make sure the copy has a published site to protect; return its digest."""
    site = project / "_build" / "html"
    if not site.exists():  # pytest run without a build: a stand-in for the last good site
        site.mkdir(parents=True)
        (site / "index.html").write_text('<html lang="sv">senaste lyckade bygget</html>')
    return bench.tree_digest(site)


# =========================================================================== double build
@pytest.mark.slow
class TestReproducibleOfflineBuild:
    """A second clean build (HTML + PDF) of the same sources and execution cache, with the
    network switched off, must reproduce the book `make test` just built byte for byte."""

    @pytest.fixture(scope="class")
    @classmethod
    def second(cls, tmp_path_factory):
        if not (SITE / "book" / "index.html").exists():
            pytest.fail(
                "no _build/html to compare with: run `make html` first (`make test` does)",
                pytrace=False,
            )
        offline, why = bench.can_go_offline()
        # With the execution cache of the first build: executing every notebook a third time
        # (after the build and nbval) cost a third of `make test`. Notebook outputs are
        # reproducible by construction (fixed figure files, test below; nbval re-executes every
        # chapter and compares its numbers); this build checks Sphinx, LaTeX and the swap-in.
        project = bench.copy_project(
            tmp_path_factory.mktemp("second") / "project", execution_cache=True
        )
        proc = bench.make(project, "book", offline=offline)
        return project, proc, offline, why

    def test_second_clean_build_succeeds_offline(self, second):
        project, proc, offline, why = second
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
        if not offline:
            pytest.skip(f"built with the network on: {why}")

    def test_html_is_byte_identical(self, second):
        project, proc, _, _ = second
        assert proc.returncode == 0, "second build failed (see the test above)"
        diffs = bench.tree_differences(
            bench.tree_digest(SITE), bench.tree_digest(project / "_build" / "html")
        )
        assert not diffs, (
            "two clean builds of the same sources differ "
            f"(SOURCE_DATE_EPOCH={bench.source_date_epoch()}):\n  " + "\n  ".join(diffs[:50])
        )

    def test_pdf_is_byte_identical(self, second):
        project, proc, _, _ = second
        assert proc.returncode == 0, "second build failed (see the test above)"
        first = ROOT / "_build" / "pdf" / build.PDF_NAME
        again = project / "_build" / "pdf" / build.PDF_NAME
        assert first.read_bytes() == again.read_bytes(), f"{first} and {again} differ"


FIGURE = """
import sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from IPython.core.pylabtools import print_figure
from kommunenkat.graphics import style
style.setup()
fig, ax = plt.subplots()
ax.barh(["Blekinge", "Kronoberg", "Västra Götaland"], [19, 57, 23], label="hög")
ax.set_xlabel("Andel kommuner (%)")
ax.legend()
style.source_note(fig)
sys.stdout.buffer.write(print_figure(fig, fmt="svg", metadata={"Date": None}).encode())
"""


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_figures_are_byte_identical_across_processes():
    """What keeps notebook outputs reproducible: a figure drawn in two kernels (processes with
    different hash seeds) is the same SVG, with no date in it."""
    import os
    import subprocess
    import sys

    svgs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run(
            [sys.executable, "-c", FIGURE], capture_output=True, env=env, check=True
        ).stdout
        svgs.append(out)
    assert svgs[0].startswith(b"<?xml") and b"<svg" in svgs[0]
    assert svgs[0] == svgs[1], "the same figure differs between two processes"
    assert b"<dc:date>" not in svgs[0]


# =========================================================================== the site offline
EXTERNAL = re.compile(
    r"""<(script|link|img|iframe|source|audio|video)\b[^>]*?\s(src|href)=["']"""
    r"""((?:https?:)?//[^"']+)["']""",
    re.I,
)


def _site_pages():
    return sorted(p for p in SITE.rglob("*.html") if "_static" not in p.parts)


@pytest.mark.built("html/book/index.html")
class TestSiteIsSelfContained:
    def test_no_third_party_scripts_styles_or_images(self):
        found = []
        for page in _site_pages():
            for m in EXTERNAL.finditer(page.read_text(encoding="utf-8")):
                tag, attr, url = m.groups()
                if tag.lower() == "link" and re.search(
                    r'rel=["\'](canonical|alternate)', m.group(0)
                ):
                    continue
                found.append(f"{page.relative_to(SITE)}: <{tag} {attr}={url}>")
        assert not found, "pages load resources from other sites:\n  " + "\n  ".join(found)

    def test_no_remote_imports_in_css(self):
        found = [
            f"{css.relative_to(SITE)}: {m}"
            for css in SITE.rglob("*.css")
            for m in re.findall(
                r"""(?:@import|url\()\s*["']?(?:https?:)?//[^)"';]+""",
                css.read_text(encoding="utf-8", errors="replace"),
            )
        ]
        assert not found, "stylesheets fetch from other sites:\n  " + "\n  ".join(found)

    def test_math_is_not_loaded_from_a_cdn(self):
        # Sphinx adds MathJax (from a CDN by default) only to pages with math. None has math now;
        # if one gets some, MathJax must be served from the site itself.
        for page in _site_pages():
            html = page.read_text(encoding="utf-8")
            for src in re.findall(r'<script[^>]*src="([^"]*mathjax[^"]*)"', html, re.I):
                assert not re.match(r"(https?:)?//", src), f"{page.relative_to(SITE)}: {src}"

    def test_no_build_time_in_pages(self):
        """Dates come from SOURCE_DATE_EPOCH; the build day must not appear (unless it is the
        commit's day, when the two cannot be told apart)."""
        epoch = dt.datetime.fromtimestamp(int(bench.source_date_epoch()), dt.UTC).date()
        today = dt.date.today()
        if today == epoch:
            pytest.skip("the commit is from today: the build date cannot be told apart")
        for page in _site_pages():
            assert today.isoformat() not in page.read_text(encoding="utf-8"), page


# =========================================================================== data corpus
def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def corrupt_data(data_dir: Path, case: dict) -> int | None:
    """Apply a [[data]] case of the corpus; return the 1-based line of the edited row."""
    path = data_dir / case["file"]
    action = case["action"]
    if action == "latin1":
        path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
        return None
    if action == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
        return None
    if action == "semicolon":  # as Excel saves "CSV" with Swedish settings
        rows = _csv_rows(path.read_text(encoding="utf-8"))
        buf = io.StringIO()
        csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
        return 1
    rows = _csv_rows(path.read_text(encoding="utf-8"))
    header = rows[0]
    idx = next(
        (
            i
            for i, r in enumerate(rows[1:], 1)
            if all(r[header.index(k)] == v for k, v in case["row"].items())
        ),
        None,
    )
    assert idx is not None, f"corpus case {case['id']}: no row {case['row']} in {path.name}"
    if action == "set":
        for k, v in case["set"].items():
            rows[idx][header.index(k)] = v
    elif action == "delete":
        del rows[idx]
    elif action == "duplicate":
        rows.append(list(rows[idx]))
    elif action == "append":
        _write_rows(path, rows)
        lines = path.read_text(encoding="utf-8").split("\n")
        lines[idx] += case["text"]
        path.write_text("\n".join(lines), encoding="utf-8")
        return idx + 1
    else:
        raise AssertionError(f"corpus case {case['id']}: unknown action {action}")
    _write_rows(path, rows)
    # No field of these files spans lines, so the row's line is its index + 1.
    return idx + 1


# `make book` is run for these cases (one file-level, one schema, one meaning error); every case
# goes through the validator, which is what stops `make book` for all of them.
MAKE_BOOK_CASES = {"semicolon-separated", "unknown-county", "gotland-separate"}


@pytest.mark.parametrize("case", CORPUS["data"], ids=[c["id"] for c in CORPUS["data"]])
def test_corrupted_data_is_named_by_the_validator(tmp_path, case):
    """Each corpus case: the check-data report names the file, the place and the value, and no
    follow-on error sends the editor to another file."""
    from kommunenkat.inputs import validate

    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    line = corrupt_data(data, case)
    report = validate.validate_all(data)
    text = report.summary()
    assert not report.ok, f"{case['id']}: the corrupted data validated"
    expect = case["expect"].replace("{line}", str(line))
    assert re.search(expect, text), f"{case['id']}: expected /{expect}/ in:\n{text[-3000:]}"
    assert "no longer occurs" not in text, "a follow-on error sends the editor elsewhere"


@pytest.mark.slow
class TestDataCorpus:
    """`make book` on corrupted data stops before executing or building anything."""

    @pytest.fixture(scope="class")
    @classmethod
    def project(cls, tmp_path_factory):
        project = bench.copy_project(tmp_path_factory.mktemp("data") / "project", site=True)
        return project, _last_good_site(project)

    @pytest.mark.parametrize(
        "case",
        [c for c in CORPUS["data"] if c["id"] in MAKE_BOOK_CASES],
        ids=[c["id"] for c in CORPUS["data"] if c["id"] in MAKE_BOOK_CASES],
    )
    def test_corrupted_data_stops_make_book(self, project, case):
        project, before = project
        data = project / "data"
        shutil.rmtree(data)
        shutil.copytree(paths.DATA, data)
        line = corrupt_data(data, case)
        proc = bench.make(project, "book")
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, f"{case['id']}: make book succeeded:\n{out[-3000:]}"
        expect = case["expect"].replace("{line}", str(line))
        assert re.search(expect, out), f"{case['id']}: expected /{expect}/ in:\n{out[-3000:]}"
        assert "nothing was built" in out, out[-3000:]
        assert not (project / "_build" / "work" / "_build" / "html").exists(), (
            "Sphinx ran although the data was invalid"
        )
        assert "executing" not in out, "notebooks ran although the data was invalid"
        assert "no longer occurs" not in out, "a follow-on error sends the editor elsewhere"
        assert "Traceback" not in out, out[-3000:]
        assert bench.tree_digest(project / "_build" / "html") == before, (
            "the last good _build/html changed"
        )

    def test_validator_command_names_file_and_line(self, tmp_path):
        """The same cases through `python -m kommunenkat.inputs.validate DIR` (what check-data
        runs)."""
        import subprocess
        import sys

        for case in CORPUS["data"][:1]:  # every case goes through validate_all above
            data = tmp_path / case["id"]
            shutil.copytree(paths.DATA, data)
            line = corrupt_data(data, case)
            proc = subprocess.run(
                [sys.executable, "-m", "kommunenkat.inputs.validate", str(data)],
                capture_output=True,
                text=True,
            )
            assert proc.returncode == 1
            expect = case["expect"].replace("{line}", str(line))
            assert re.search(expect, proc.stderr), (case["id"], proc.stderr)


# =========================================================================== page corpus
def corrupt_page(chapter: Path, case: dict) -> int:
    """Apply a [[page]] case to a MyST chapter; return the 1-based .md line of the change
    (for a code cell: its last line, the raising statement; for a Markdown paragraph: its line)."""
    lines = chapter.read_text(encoding="utf-8").splitlines()
    source = case["source"].strip("\n").splitlines()
    if case["cell"] == "code":
        at = next(i for i, x in enumerate(lines) if x.startswith("```{code-cell}"))
        lines[at:at] = ["```{code-cell} ipython3", *source, "```", ""]
        number = at + 1 + len(source)  # the cell's last line: where the corpus cells raise
    else:
        lines += ["", *source]
        number = len(lines) - len(source) + 1
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return number


@pytest.mark.slow
class TestPageCorpus:
    """A raising cell, a missing glue key, a broken {numref}: the build stops, names the place,
    and the last good site stays; the fixed page builds again."""

    @pytest.fixture(scope="class")
    @classmethod
    def book(cls, tmp_path_factory, minimal_book):
        project, chapter, rel = minimal_book(tmp_path_factory.mktemp("pages"), MINIMAL_ROOT)
        original = chapter.read_bytes()
        proc = bench.make(project, "html")
        assert proc.returncode == 0, (
            "the minimal book (root page + first chapter) does not "
            "build:\n" + (proc.stdout + proc.stderr)[-4000:]
        )
        site = project / "_build" / "html"
        assert (site / "korpus.html").exists()
        return project, chapter, original, bench.tree_digest(site)

    def _fails(self, book, case) -> str:
        project, chapter, original, good = book
        chapter.write_bytes(original)
        number = corrupt_page(chapter, case)
        proc = bench.make(project, "html")
        out = proc.stdout + proc.stderr
        assert proc.returncode != 0, f"{case['id']}: the build succeeded:\n{out[-3000:]}"
        page = re.escape(chapter.relative_to(project).as_posix())
        expect = case["expect"].replace("{page}", page).replace("{line}", str(number))
        assert re.search(expect, out), f"{case['id']}: expected /{expect}/ in:\n{out[-4000:]}"
        assert re.search(r"build: HTML build FAILED.*left unchanged", out), out[-2000:]
        assert bench.tree_digest(project / "_build" / "html") == good, (
            "the last good _build/html changed"
        )
        return out

    @pytest.mark.parametrize("case", CORPUS["page"], ids=[c["id"] for c in CORPUS["page"]])
    def test_broken_page_stops_the_build(self, book, case):
        self._fails(book, case)

    def test_failed_build_fails_again_unchanged(self, book):
        """Sphinx re-reads only changed pages; rebuilding an unchanged broken page must not
        'succeed' (and publish it)."""
        case = next(c for c in CORPUS["page"] if c["id"] == "broken-numref")
        self._fails(book, case)
        project, chapter, _, good = book
        proc = bench.make(project, "html")
        assert proc.returncode != 0, "an unchanged broken book built the second time"
        assert bench.tree_digest(project / "_build" / "html") == good

    def test_fixed_page_builds_again(self, book):
        project, chapter, original, good = book
        chapter.write_bytes(original)
        proc = bench.make(project, "html")
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
        assert (project / "_build" / "html" / "korpus.html").exists()


# =========================================================================== build internals
def test_notebook_locations_are_readable():
    line = f"{ROOT}/notebooks/02_x.ipynb:100002: WARNING: undefined label: 'x'"
    assert common.locate(line) == (
        "notebooks/02_x.ipynb:100002 (cell 10, line 2): WARNING: undefined label: 'x'"
    )


def test_frozen_seaborn_theme_matches_seaborn():
    """style.setup applies theme.mplstyle instead of importing seaborn: it must be the same."""
    import matplotlib as mpl
    from matplotlib.colors import to_rgba

    def rc_after(apply) -> dict:
        with mpl.rc_context():
            mpl.rcParams.update(mpl.rcParamsDefault)
            apply()
            return dict(mpl.rcParams)

    def frozen():
        import matplotlib.pyplot as plt

        from kommunenkat.graphics import style

        plt.style.use(Path(style.__file__).with_name("theme.mplstyle"))

    def seaborn_theme():
        import seaborn as sns

        sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans")

    a, b = rc_after(frozen), rc_after(seaborn_theme)
    ca = [to_rgba(c) for c in a.pop("axes.prop_cycle").by_key()["color"]]
    cb = [to_rgba(c) for c in b.pop("axes.prop_cycle").by_key()["color"]]
    assert ca == cb
    diff = {k: (a[k], b[k]) for k in b if k != "image.cmap" and a[k] != b[k]}
    assert not diff, f"theme.mplstyle no longer matches seaborn's theme: {diff}"


def test_figures_module_does_not_import_seaborn_or_scipy():
    import subprocess
    import sys

    code = (
        "import sys; from kommunenkat.core import fmt; from kommunenkat.inputs import data; "
        "from kommunenkat.graphics import figures, style; from kommunenkat.text import publish; "
        "style.setup(); "
        "print(sorted(m for m in ('seaborn', 'scipy', 'statsmodels') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", (
        "a chapter's imports pull in heavy modules (about 1.5 s "
        f"per notebook kernel): {out.stdout.strip()}"
    )


# =========================================================================== privacy
class TestPrivacy:
    def test_derived_tables_stay_at_the_reports_level(self):
        report = privacy.check()
        assert report.ok, report.summary()

    def test_threshold_is_the_smallest_published_group(self, tmp_path):
        n, basis = privacy.smallest_group(tmp_path, paths.DATA)
        assert n == 5 and "Blekinge" in basis, basis
        (tmp_path / "county_counts.csv").write_text(
            "region,question,category,count,n\nRiket,q,high,50,244\nUppsala,q,high,1,8\n"
            "Blekinge,q,high,1,4\n",
            encoding="utf-8",
        )
        assert privacy.smallest_group(tmp_path, paths.DATA)[0] == 4

    def test_synthetic_bad_table_is_caught_with_file_line_and_column(self, tmp_path):
        (tmp_path / "county_counts.csv").write_text(
            "region,question,category,count,n\nBlekinge,q,high,1,5\nUppsala,q,high,2,8\n",
            encoding="utf-8",
        )
        (tmp_path / "bad.csv").write_text(
            "region,kommun,kommunkod,n,n_regions,share\n"
            "Uppsala,Enköping,0381,8,20,0.5\n"  # line 2: municipality columns
            "Gotland,,,6,20,0.2\n"  # line 3: Gotland on its own
            "Blekinge,,,3,20,0.3\n"  # line 4: group of 3 < 5
            "Karlshamn,,,5,20,0.1\n"  # line 5: not a region
            "Riket,,,244,20,0.4\n",
            encoding="utf-8",
        )  # line 6: fine
        report = privacy.check(tmp_path, paths.DATA)
        text = "\n".join(str(p) for p in report.problems)
        name = str(tmp_path / "bad.csv")
        assert f'{name}:1: column "kommun": a municipality column' in text
        assert f'{name}:1: column "kommunkod": a municipality column' in text
        assert f"{name}:2: column \"kommunkod\": '0381' looks like a municipality code" in text
        assert f'{name}:3: column "region": Gotland as a group of its own' in text
        assert f'{name}:4: column "n": a group of 3 is smaller' in text
        assert f"{name}:5: column \"region\": 'Karlshamn' is not one of the report's" in text
        assert f"{name}:6:" not in text
        assert "n_regions" not in text and "county_counts" not in text

    def test_good_synthetic_table_passes(self, tmp_path):
        (tmp_path / "shares.csv").write_text(
            "question,category,region,k,n,p\nq,high,Blekinge,0,5,0\n"
            "q,high,Stockholm samt Gotland,6,22,0.27\nq,high,Riket,46,244,0.19\n",
            encoding="utf-8",
        )
        assert privacy.check(tmp_path, paths.DATA).ok

    def test_command_exit_code(self, tmp_path):
        import subprocess
        import sys

        (tmp_path / "x.csv").write_text("county,n\nGotland,1\n", encoding="utf-8")
        proc = subprocess.run(
            [sys.executable, "-m", "kommunenkat.inputs.privacy", str(tmp_path)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 1 and "x.csv:2" in proc.stderr, proc.stderr
        ok = subprocess.run(
            [sys.executable, "-m", "kommunenkat.inputs.privacy"], capture_output=True, text=True
        )
        assert ok.returncode == 0, ok.stderr


# =========================================================================== Ctrl-C, .venv
NOTEBOOK = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {title}

Text.

```{{code-cell}} ipython3
{code}
```
"""


def _gone(pid: int, within: float = 10) -> bool:
    """Whether the process ends (or is a zombie) within ``within`` seconds: a process sent
    SIGKILL dies asynchronously, later on a loaded machine (generous bound)."""
    import time

    import psutil

    deadline = time.monotonic() + within
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


def _kill_tree(pid: int) -> str:
    """Kill a process and all its descendants (also those in sessions of their own, such as
    notebook kernels); return what was running, for the failure message."""
    import psutil

    try:
        procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return ""
    running = []
    for p in procs:
        with suppress(psutil.Error):
            running.append(f"{p.pid} {p.status()} {' '.join(p.cmdline())[:150]}")
            p.kill()
    return "\n".join(running)


def _processes_in(directory: Path) -> list[str]:
    """Processes still running in ``directory`` (a build's make, its workers, their kernels),
    after waiting (generously) for those that are just ending."""
    import psutil

    procs = []
    for p in psutil.process_iter(["cwd"]):
        cwd = p.info["cwd"]
        if cwd and (Path(cwd) == directory or directory in Path(cwd).parents):
            procs.append(p)
    _, alive = psutil.wait_procs(procs, timeout=10)
    out = []
    for p in alive:
        with suppress(psutil.Error):
            if p.status() != psutil.STATUS_ZOMBIE:
                out.append(f"{p.pid} {' '.join(p.cmdline())[:150]}")
    return out


@contextmanager
def _sigint_as_in_a_terminal():
    """Processes started inside get SIGINT at its default, as a terminal's foreground job has.

    A suite started in the background by a shell without job control (`make test &` in a
    script, `nohup`, some CI and tool runners) inherits SIGINT *ignored* (POSIX), and so did the
    build this test started: Python installs no KeyboardInterrupt handler then, make and the
    build ignored the test's Ctrl-C, and the build ran until the slow cell's timeout (180 s):
    "Ctrl-C took 179.6 s". A signal this process catches is reset to its default in a child by
    exec (an ignored one stays ignored), so the child gets SIGINT as from a terminal.
    """
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


# The moment of the Ctrl-C, both waited for as events, not slept for:
# - "kernel-starting": as soon as the build reports the first notebook executed, i.e. while the
#   worker prepares and starts the second notebook's kernel;
# - "cell-running": once the second notebook's cell has started (it creates a file). This was
#   a sleep of 2 s ("langsam.md is running now"), which on a loaded machine could be either.
@pytest.mark.slow
@pytest.mark.parametrize("when", ["kernel-starting", "cell-running"])
def test_ctrl_c_stops_a_build_and_keeps_what_was_executed(tmp_path, when):
    """Ctrl-C during execution: stops within seconds, no kernel tracebacks, no kernel left
    running, and the notebook that had finished is not executed again by the next build."""
    import os
    import signal
    import subprocess
    import time

    project = bench.copy_project(tmp_path / "project")
    started = tmp_path / "langsam-started"
    (project / "korpus.md").write_text(MINIMAL_ROOT, encoding="utf-8")
    (project / "snabb.md").write_text(NOTEBOOK.format(title="Snabb", code="x = 1"), "utf-8")
    code = f"import pathlib\nimport time\n\npathlib.Path({str(started)!r}).touch()\ntime.sleep(300)"
    slow = NOTEBOOK.format(title="Långsam", code=code)
    (project / "langsam.md").write_text(slow, encoding="utf-8")
    (project / "_toc.yml").write_text(
        "format: jb-book\nroot: korpus\nchapters:\n  - file: snabb\n  - file: langsam\n",
        encoding="utf-8",
    )
    with _sigint_as_in_a_terminal():
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "-C", str(project), "html", "JOBS=1"],
            env=bench.build_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
        )
    try:
        out = []
        assert proc.stdout is not None
        for line in proc.stdout:
            out.append(line)
            if line.startswith("build: executed snabb.md"):
                break
        else:
            raise AssertionError("snabb.md was not executed:\n" + "".join(out)[-3000:])
        if when == "cell-running":
            # Generous: only a build that never gets there is stopped by this bound.
            deadline = time.monotonic() + 300
            while not started.exists():
                assert proc.poll() is None and time.monotonic() < deadline, (
                    "langsam.md's cell did not start:\n" + "".join(out)[-3000:]
                )
                time.sleep(0.05)
        start = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        try:
            # Generous: the bound of the test is the assertion below; this one only ends a
            # build that does not stop at all, to report what was still running.
            rest, _ = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            running = _kill_tree(proc.pid)
            raise AssertionError(
                f"Ctrl-C did not stop the build in 60 s; running:\n{running}"
            ) from None
        seconds = time.monotonic() - start
    finally:
        _kill_tree(proc.pid)
    text = "".join(out) + rest
    assert proc.returncode != 0
    assert seconds < 8, f"Ctrl-C took {seconds:.1f} s"
    assert "Traceback" not in text, text[-3000:]
    assert "1 notebook(s) executed before Ctrl-C are kept" in text, text[-3000:]
    assert not (project / "_build" / "html").exists()
    left = _processes_in(project)
    assert not left, "processes of the build are still running:\n" + "\n".join(left)
    if when != "cell-running":
        return
    # The next build executes only what had not finished.
    (project / "langsam.md").write_text(NOTEBOOK.format(title="Långsam", code="y = 2"), "utf-8")
    again = bench.make(project, "html")
    text = again.stdout + again.stderr
    assert again.returncode == 0, text[-3000:]
    assert "executing 1 notebook(s), 1 at a time: langsam.md" in text, text[-3000:]


def _stubborn_task(pidfile: str) -> None:
    """A pool task like a notebook's execution in a worker: it survives SIGTERM (as nbclient's
    handler makes a worker do) and has a child in a session of its own (as a kernel is)."""
    import signal
    import subprocess
    import sys
    import time

    signal.signal(signal.SIGTERM, lambda *_: None)
    child = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)"], start_new_session=True
    )
    Path(pidfile + ".tmp").write_text(f"{os.getpid()} {child.pid}")
    os.replace(pidfile + ".tmp", pidfile)
    time.sleep(300)


def test_stopped_workers_and_their_kernels_are_gone(tmp_path):
    """What Ctrl-C does to the notebook workers: whatever a worker does with SIGTERM (nbclient
    handles it while a notebook runs), after stop_workers it and its kernel are gone."""
    import time
    from concurrent.futures import ProcessPoolExecutor

    pidfile = tmp_path / "pids"
    pool = ProcessPoolExecutor(max_workers=1, initializer=execute.worker_init)
    worker = kernel = None
    try:
        pool.submit(_stubborn_task, str(pidfile))
        deadline = time.monotonic() + 120  # generous: waits for the task to have started
        while not pidfile.exists():
            assert time.monotonic() < deadline, "the task did not start"
            time.sleep(0.05)
        worker, kernel = map(int, pidfile.read_text().split())
        execute.stop_workers(pool)
        assert _gone(worker), "the worker outlived stop_workers"
        assert _gone(kernel), "the worker's kernel outlived stop_workers"
    finally:
        for pid in (worker, kernel):
            if pid:
                _kill_tree(pid)
        pool.shutdown(wait=False, cancel_futures=True)


def test_damaged_venv_is_repaired_by_make(tmp_path):
    """A package missing from .venv is put back from the lock by the next make."""
    import subprocess

    venv = ROOT / ".venv" / "bin"
    victim = "nbstripout"  # in the lock, used by nothing that may run at the same time
    subprocess.run(
        [str(venv / "uv"), "pip", "uninstall", "--python", str(venv / "python"), victim],
        check=True,
        capture_output=True,
    )
    probe = [str(venv / "python"), "-c", f"import {victim}"]
    assert subprocess.run(probe, capture_output=True).returncode != 0
    project = bench.copy_project(tmp_path / "project")
    proc = bench.make(project, "venv", timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert ".venv was incomplete; reinstalled from the lock" in out and victim in out, out
    assert subprocess.run(probe, capture_output=True).returncode == 0
