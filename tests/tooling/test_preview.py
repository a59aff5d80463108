"""`make preview` survives an editor's mistakes: it keeps serving the last good book, prints a
short message naming the file and the line, shows it in a banner, never a traceback; the browser
reloads after a good rebuild; a port in use is named before any build work; Ctrl-C stops it.

The preview runs as editors run it (`make preview PORT=N`) in a temporary copy of the project
with a small book (the front page and the first chapter) and the execution cache of the last
build, so one case costs a rebuild of two pages.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from kommunenkat.core import paths
from kommunenkat.tooling import bench, execute, prechecks, rebuilder

MINIMAL_ROOT = "# Korpus\n\nEn minimal bok för förhandsvisningens tester.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Preview:
    """`make preview PORT=N` in a project, its output read line by line."""

    def __init__(self, project: Path, port: int) -> None:
        self.port = port
        self.proc = subprocess.Popen(
            ["make", "--no-print-directory", "-C", str(project), "preview", f"PORT={port}"],
            env=bench.build_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, as in a terminal (Ctrl-C)
        )
        self.output: list[str] = []
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line.rstrip("\n"))

    def drain(self) -> None:
        while not self.lines.empty():
            self.lines.get_nowait()

    def _next_line(self, end: float, waiting_for: str) -> str:
        while time.monotonic() < end:
            try:
                return self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, "the preview exited:\n" + self.text()[-3000:]
        raise AssertionError(f"no /{waiting_for}/ in time:\n" + self.text()[-3000:])

    def wait_for(self, pattern: str, timeout: float = 240, block: str | None = None) -> list[str]:
        """Lines up to the one matching ``pattern``. With ``block``: also the problem lines
        (indented) printed after it, up to the one matching ``block``, or up to the end of the
        indented lines if none does. (These lines used to be collected 0.3 s after the first
        one: on a loaded machine some came later and the expected problem was missing.)"""
        seen, end = [], time.monotonic() + timeout  # generous: a rebuild, at any load
        while not re.search(pattern, line := self._next_line(end, pattern)):
            seen.append(line)
        seen.append(line)
        while block is not None and not re.search(block, "\n".join(seen)):
            line = self._next_line(end, block)
            if not line.startswith("  "):
                break
            seen.append(line)
        return seen

    def get(self, path: str) -> str:
        url = f"http://127.0.0.1:{self.port}/{path}"
        with urllib.request.urlopen(url, timeout=30) as resp:
            return resp.read().decode("utf-8")

    def text(self) -> str:
        return "".join(self.output)

    def stop(self, timeout: float = 15) -> float:
        """Ctrl-C as in a terminal; seconds until the preview exited."""
        start = time.time()
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        seconds = time.time() - start
        self.reader.join(10)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        return seconds


def _core(page: str) -> str:
    """A served page without what the preview adds (reload script, banner)."""
    page = page.split('<div id="preview-problems"')[0]
    return page.split("\n<script>\nconst ws")[0]


# =========================================================================== the mistakes
def _first_code_fence(lines: list[str]) -> int:
    return next(i for i, x in enumerate(lines) if x.startswith("```{code-cell}"))


def _glue_line(lines: list[str]) -> int:
    return next(i for i, x in enumerate(lines) if "{glue:text}`" in x and not x.startswith("#"))


def _prose_line(lines: list[str]) -> int:
    """The first paragraph line after the title (outside the front matter and code)."""
    body = lines.index("---", 1) + 1
    title = next(i for i in range(body, len(lines)) if lines[i].startswith("# "))
    return next(i for i in range(title + 1, len(lines)) if lines[i].strip())


def yaml_header(chapter: Path, lines: list[str]) -> tuple[str, str]:
    i = next(i for i, x in enumerate(lines) if x.strip().startswith("display_name:"))
    lines[i] = lines[i].replace("display_name: ", "display_name: [")
    return "chapter", rf"{{page}}:{i + 1}: invalid YAML"


def kernel_typo(chapter: Path, lines: list[str]) -> tuple[str, str]:
    """A valid header naming a kernel that does not exist: named at its line (it used to be
    'NoSuchKernel' from the execution, without a line)."""
    i = next(i for i, x in enumerate(lines) if x.strip() == "name: python3")
    lines[i] = lines[i].replace("python3", "pyhton3")
    return "chapter", rf"{{page}}:{i + 1}: unknown kernel 'pyhton3'"


def code_cell_fence(chapter: Path, lines: list[str]) -> tuple[str, str]:
    i = _first_code_fence(lines)
    lines[i] = lines[i].replace("{code-cell}", "{code-cell")
    return "chapter", rf"{{page}}:{i + 1}: the fence .*lacks its closing '\}}'"


def glue_typo(chapter: Path, lines: list[str]) -> tuple[str, str]:
    i = _glue_line(lines)
    key = re.search(r"\{glue:text\}`([^`]+)`", lines[i]).group(1)
    lines[i] = lines[i].replace(f"`{key}`", f"`{key}x`", 1)
    return "chapter", rf"{{page}}:{i + 1}: WARNING: No key '{re.escape(key)}x' found in glue"


def misspelled_directive(chapter: Path, lines: list[str]) -> tuple[str, str]:
    lines += ["", "```{notee}", "En anteckning.", "```"]
    return "chapter", rf"{{page}}:{len(lines) - 2}: WARNING: Unknown directive type: 'notee'"


def unclosed_fence(chapter: Path, lines: list[str]) -> tuple[str, str]:
    i = _prose_line(lines)
    lines[i:i] = ["```", "kod utan slut", ""]
    return "chapter", rf"{{page}}:{i + 1}: the fence '```' opened here is not closed"


def code_cell_not_closed(chapter: Path, lines: list[str]) -> tuple[str, str]:
    """The closing ``` of the first code cell deleted: named at the cell's opening fence, not
    through the SyntaxError of the prose the cell would swallow."""
    i = _first_code_fence(lines)
    end = next(j for j in range(i + 1, len(lines)) if lines[j] == "```")
    del lines[end]
    return "chapter", rf"{{page}}:{i + 1}: the code cell opened here is not closed before"


def stray_fence_before_figure(chapter: Path, lines: list[str]) -> tuple[str, str]:
    """A ``` typed into the prose above a figure: named at its own line (it would swallow the
    figure, and the error would point at the figure's reference further down)."""
    fig = next(i for i, x in enumerate(lines) if x.startswith("```{glue:figure}"))
    i = max(j for j in range(fig) if lines[j].strip() and not lines[j].startswith("```"))
    lines[i:i] = ["```"]
    return "chapter", rf"{{page}}:{i + 1}: the fence '```' opened here is not closed before"


def prose_in_code_cell(chapter: Path, lines: list[str]) -> tuple[str, str]:
    i = _prose_line(lines)
    lines[i : i + 1] = ["```{code-cell} ipython3", lines[i], "```"]
    return "chapter", rf"{{page}}:{i + 2}: SyntaxError: .*move it out of the ```\{{code-cell\}}"


def toc_yaml(project: Path) -> str:
    toc = project / "_toc.yml"
    text = toc.read_text(encoding="utf-8")
    toc.write_text(text + "  - file: [notebooks/saknas\n", encoding="utf-8")
    return rf"_toc\.yml:{len(text.splitlines()) + 1}: invalid YAML"


def config_yaml(project: Path) -> str:
    cfg = project / "_config.yml"
    lines = cfg.read_text(encoding="utf-8").splitlines()
    i = lines.index("execute:")
    lines[i + 1] = " " + lines[i + 1]  # one space too many: the mapping breaks
    cfg.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return r"_config\.yml:\d+: invalid YAML"


def semicolon_csv(project: Path) -> str:
    f = project / "data" / "counties.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    return r"data/counties\.csv:1: the file uses ';' as separator"


CHAPTER_MISTAKES = [
    yaml_header,
    kernel_typo,
    code_cell_fence,
    glue_typo,
    misspelled_directive,
    unclosed_fence,
    code_cell_not_closed,
    stray_fence_before_figure,
    prose_in_code_cell,
]
PROJECT_MISTAKES = [toc_yaml, config_yaml, semicolon_csv]


@pytest.mark.slow
class TestPreview:
    @pytest.fixture(scope="class")
    @classmethod
    def running(cls, tmp_path_factory, minimal_book):
        project, chapter, rel = minimal_book(tmp_path_factory.mktemp("preview"), MINIMAL_ROOT)
        originals = {
            p: p.read_bytes()
            for p in [chapter, project / "_toc.yml", project / "_config.yml"]
            + sorted((project / "data").glob("*.csv"))
        }
        pv = Preview(project, free_port())
        pv.wait_for(r"^preview: rebuilt in")
        page = f"{rel}.html"
        good = pv.get(page)
        assert "websocket-reload" in good, "the reload script is not injected"
        yield pv, project, chapter, page, originals, good
        seconds = pv.stop()
        assert pv.proc.returncode is not None
        assert seconds < 10, f"Ctrl-C took {seconds:.1f} s to stop the preview"
        assert "Traceback" not in pv.text(), pv.text()[-4000:]

    def _restore(self, pv: Preview, originals: dict[Path, bytes]) -> None:
        changed = False
        for path, data in originals.items():
            if path.read_bytes() != data:
                path.write_bytes(data)
                changed = True
        if changed:
            pv.wait_for(r"^preview: rebuilt in")
        pv.drain()

    def _last_good(self, running) -> str:
        """The page as served now, before the mistake: what must stay visible."""
        pv, project, chapter, page, originals, good = running
        served = pv.get(page)
        assert 'id="preview-problems"' not in served, "a banner although the book is fixed"
        return served

    def _check_failure(self, running, expect: str, good: str) -> None:
        pv, project, chapter, page, originals, _ = running
        block = pv.wait_for(r"^preview: FAILED", block=expect)
        report = "\n".join(block)
        assert re.search(expect, report), f"expected /{expect}/ in:\n{report}"
        # The message comes first: the FAILED line and the problems, no build log before them.
        assert all(x.startswith(("preview:", "  ")) for x in block), report
        assert "Traceback" not in pv.text(), pv.text()[-4000:]
        served = pv.get(page)
        if _core(served) != _core(good):
            import difflib

            diff = difflib.unified_diff(
                _core(good).splitlines(), _core(served).splitlines(), lineterm="", n=1
            )
            raise AssertionError("the served page is not the last good build:\n" + "\n".join(diff))
        assert 'id="preview-problems"' in served, "no banner in the served page"
        banner = served.split('id="preview-problems"')[1]
        first = re.sub(r"\\(.)", r"\1", expect.split(":")[0])
        assert first in banner.replace("&#x27;", "'"), banner[:2000]

    @pytest.mark.parametrize("mistake", CHAPTER_MISTAKES, ids=lambda f: f.__name__)
    def test_chapter_mistake(self, running, mistake):
        pv, project, chapter, page, originals, good = running
        self._restore(pv, originals)
        good = self._last_good(running)
        lines = chapter.read_text(encoding="utf-8").splitlines()
        _, expect = mistake(chapter, lines)
        chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
        expect = expect.replace("{page}", re.escape(chapter.relative_to(project).as_posix()))
        self._check_failure(running, expect, good)

    @pytest.mark.parametrize("mistake", PROJECT_MISTAKES, ids=lambda f: f.__name__)
    def test_project_mistake(self, running, mistake):
        pv, project, chapter, page, originals, good = running
        self._restore(pv, originals)
        good = self._last_good(running)
        expect = mistake(project)
        self._check_failure(running, expect, good)

    def test_fixed_book_rebuilds_and_the_browser_reloads(self, running):
        from websockets.sync.client import connect

        pv, project, chapter, page, originals, good = running
        self._restore(pv, originals)
        assert 'id="preview-problems"' not in pv.get(page), "the banner stayed after the fix"
        with connect(f"ws://127.0.0.1:{pv.port}/websocket-reload", open_timeout=30) as ws:
            # A restore can be seen as two saves (the watcher may report a file's truncation
            # and its writing apart): let those rebuilds finish and drop their reloads first.
            with contextlib.suppress(TimeoutError):
                while True:
                    ws.recv(timeout=5)
            lines = chapter.read_text(encoding="utf-8").splitlines()
            i = _prose_line(lines)
            lines[i] += " Tillagd mening för testet."
            chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
            end = time.time() + 240
            while "Tillagd mening för testet." not in pv.get(page):
                assert time.time() < end, "the edit was not served:\n" + pv.text()[-3000:]
                time.sleep(0.5)
            assert ws.recv(timeout=30) == "refresh", "the browser was not told to reload"
        # The edit's report, so that the next test does not take it for its own (this waited
        # 1 s and dropped what had come by then).
        pv.wait_for(r"^preview: rebuilt in")
        pv.drain()

    def test_saving_during_a_rebuild(self, running):
        """A second save while the first is being built: the preview ends up showing it."""
        pv, project, chapter, page, originals, good = running
        self._restore(pv, originals)
        lines = chapter.read_text(encoding="utf-8").splitlines()
        i = _prose_line(lines)
        for n in range(3):
            lines[i] = re.sub(r" Sparad \d\.$", "", lines[i]) + f" Sparad {n}."
            chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
            time.sleep(0.7)  # the editor's pace; a rebuild may be running (not required)
        end = time.monotonic() + 240  # generous: up to three rebuilds, at any load
        while time.monotonic() < end and "Sparad 2." not in pv.get(page):
            time.sleep(1)
        assert "Sparad 2." in pv.get(page), pv.text()[-3000:]
        assert "Traceback" not in pv.text()
        assert pv.proc.poll() is None


def test_a_build_during_which_a_page_was_saved_is_not_served(tmp_path, monkeypatch):
    """The checks can read a page before a save and Sphinx after it, so such a build can hold
    a mistake no check saw (a stray fence turns the prose below it into code). It is built
    again, and only a build during which nothing was saved reaches the browser. (CI once
    served the swallowed figure of the stray-fence case this way.)"""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    chapter = root / "notebooks" / "k.md"
    chapter.write_text("Text.\n", encoding="utf-8")
    (root / "_toc.yml").write_text("root: notebooks/k\n", encoding="utf-8")
    out, served = tmp_path / "out", tmp_path / "served"
    out.mkdir()
    served.mkdir()
    (served / "k.html").write_text("the last good build", encoding="utf-8")
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setattr(rebuilder, "OUT", out)
    monkeypatch.setattr(rebuilder, "SERVED", served)
    read = []

    def build(self, changed):
        read.append(chapter.read_text(encoding="utf-8"))
        if len(read) == 1:  # the checks passed; now the editor saves, and Sphinx reads that
            chapter.write_text("```\nText.\n", encoding="utf-8")
            (out / "k.html").write_text("<pre>Text.</pre>", encoding="utf-8")
            return True, [], ["rebuilt"]
        return False, ["notebooks/k.md:1: the fence"], ["FAILED"]

    monkeypatch.setattr(rebuilder.Rebuilder, "attempt", build)
    ok, problems, _ = rebuilder.Rebuilder(1)([chapter])
    assert read == ["Text.\n", "```\nText.\n"], "the build was not done again after the save"
    assert not ok and problems == ["notebooks/k.md:1: the fence"]
    assert (served / "k.html").read_text(encoding="utf-8") == "the last good build"

    # A build with no save meanwhile is served.
    monkeypatch.setattr(rebuilder.Rebuilder, "attempt", lambda self, changed: (True, [], ["ok"]))
    assert rebuilder.Rebuilder(1)([chapter])[0]
    assert (served / "k.html").read_text(encoding="utf-8") == "<pre>Text.</pre>"


def test_port_in_use_is_named_before_any_build(tmp_path):
    project = bench.copy_project(tmp_path / "project")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        # Generous bound (it stops within seconds); "before any build work" is checked by
        # what it left and printed, not by the clock (this asserted < 60 s).
        proc = bench.make(project, "preview", f"PORT={port}", timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert f"port {port} is in use" in out and f"make preview PORT={port + 1}" in out, out
    assert not (project / "_build" / "preview" / "_build").exists(), "it built before checking"
    assert "validated" not in out and "executing" not in out, out
    assert "Traceback" not in out


# =========================================================================== checks, no server
def test_page_checks_name_the_line(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\na: [1\n---\n# T\n", encoding="utf-8")
    assert re.match(r".*p\.md:2: invalid YAML", prechecks.check_page(page)[0])
    page.write_text("# T\n\nText\n\n```python\nx = 1\n", encoding="utf-8")
    assert re.match(
        r".*p\.md:5: the fence '```python' opened here is never closed",
        prechecks.check_page(page)[0],
    )
    page.write_text(
        "# T\n\n````markdown\n```{code-cell} ipython3\nx\n```\n````\n", encoding="utf-8"
    )
    assert prechecks.check_page(page) == [], "a code cell shown inside a longer fence is fine"
    header = "---\nkernelspec:\n  display_name: Python 3\n  name: {}\n---\n# T\n"
    page.write_text(header.format("pyhton3"), encoding="utf-8")
    assert re.match(
        r".*p\.md:4: unknown kernel 'pyhton3' \(the kernels here: .*python3.*; write name: ",
        prechecks.check_page(page)[0],
    ), prechecks.check_page(page)
    page.write_text(header.format("python3"), encoding="utf-8")
    assert prechecks.check_page(page) == []


def test_execution_failure_is_one_line():
    text = (
        "notebooks/01_x.md:43, cell 5 (code cell 2): SyntaxError: invalid character '–' "
        "(U+2013) (4205694718.py, line 3)\n      Cell In[1], line 3\n        Kommunerna –\n"
    )
    msg = rebuilder.short_execution_failure(text)
    assert msg.startswith("notebooks/01_x.md:43: SyntaxError: invalid character"), msg
    assert ".py, line" not in msg and "\n" not in msg and "move it out" in msg


def test_failing_line_is_the_md_line_of_the_statement(tmp_path):
    """Inside a cell with options the .md line of the raising statement, not one off."""
    page = tmp_path / "k.md"
    page.write_text(
        "---\nkernelspec:\n  name: python3\n---\n# T\n\n```{code-cell} ipython3\n"
        ":tags: [remove-cell]\n\nx = 1\ny = 2\nraise ValueError\n```\n",
        encoding="utf-8",
    )
    # The fence is on line 7; the cell's code 'x = 1' starts on line 10; line 3 of it is 12.
    assert execute.source_line(page, 7, "x = 1\ny = 2\nraise ValueError", 3) == 12
    assert execute.source_line(page, 7, "x = 1\ny = 2\nraise ValueError", 1) == 10


def test_build_names_a_stray_fence_first(tmp_path):
    """`make html` checks the fences before anything runs: a stray ``` in the middle of a
    chapter is the first (and only) problem, at its own line; nothing is executed or built."""
    project = bench.copy_project(tmp_path / "project")
    chapter = bench.first_chapter(project)
    lines = chapter.read_text(encoding="utf-8").splitlines()
    _, expect = stray_fence_before_figure(chapter, lines)
    chapter.write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = bench.make(project, "html", timeout=300)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out[-3000:]
    expect = expect.replace("{page}", re.escape(chapter.relative_to(project).as_posix()))
    problems = [x.strip() for x in out.splitlines() if x.startswith("  ")]
    assert problems and re.match(expect, problems[0]), out[-3000:]
    assert "nothing was built" in out and "executing" not in out, out[-3000:]
    assert not (project / "_build" / "work" / "_build" / "html").exists()
    assert "Traceback" not in out


INCREMENTAL = """
from kommunenkat.core import paths
from kommunenkat.tooling import bench, rebuilder

rebuild = rebuilder.Rebuilder(2)
assert rebuild([])[0], "the first preview build failed"
pages = sorted(rebuilder.OUT.glob("*/*.html"))
before = {p: p.stat().st_mtime_ns for p in pages}
chapter = bench.first_chapter(paths.ROOT)
bench.edit_prose(chapter, 1)
ok, problems, report = rebuild([chapter])
assert ok, problems
written = [p.relative_to(rebuilder.OUT).as_posix() for p in pages
           if p.stat().st_mtime_ns != before[p]]
print("WRITTEN", " ".join(written))
# A save while Sphinx read the page: its time is older than the end of that reading.
import os
read_at = chapter.stat().st_mtime_ns
bench.edit_prose(chapter, 2)
os.utime(chapter, ns=(read_at, read_at))
ok, problems, report = rebuild([chapter])
assert ok, problems
served = rebuilder.SERVED / chapter.relative_to(paths.ROOT).with_suffix(".html")
print("SAVED DURING READING SERVED", "(bench edit 2)" in served.read_text(encoding="utf-8"))
"""


@pytest.mark.slow
def test_incremental_rebuild_writes_the_edited_page_and_keeps_the_numbers(tmp_path):
    """A prose edit rebuilds one page; chapter and appendix numbers stay as published; a page
    saved while Sphinx was reading it is read again.

    The preview keeps one Sphinx application across rebuilds. sphinx-external-toc's chapter
    counter was not reset between its builds (chapter 1 became 7 after one edit) and the lettered
    appendix numbers looked changed to Sphinx every time, so every numbered page and appendix
    was written again on each edit (9.5 s instead of 2.2 s for one prose edit here).
    """
    project = bench.copy_project(tmp_path / "project", execution_cache=True)
    env = bench.build_env(PYTHONPATH=str(project / "src"))
    proc = subprocess.run(
        [str(project / ".venv" / "bin" / "python"), "-c", INCREMENTAL],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    written = next(x for x in proc.stdout.splitlines() if x.startswith("WRITTEN")).split()[1:]
    chapter = bench.first_chapter(project).relative_to(project).with_suffix(".html").as_posix()
    # Sphinx always writes the root page too (its toctree); nothing else.
    assert sorted(written) == sorted([chapter, "book/index.html"]), (
        f"{chapter} edit wrote {written}"
    )
    # Under load a save could come while Sphinx was reading the page; Sphinx then took the
    # page for current (its file older than the reading), and the preview never showed it.
    assert "SAVED DURING READING SERVED True" in proc.stdout, proc.stdout[-3000:]
    html = project / "_build" / "preview" / "_build" / "html"
    published = bench.ROOT / "_build" / "html"  # the book `make test` built first
    for page in ["book/metod.html", chapter, "notebooks/07_county_appendix.html"]:
        served = re.findall(r'(?:section-number">|Tabell )([A-Z0-9.]+)', (html / page).read_text())
        built = re.findall(
            r'(?:section-number">|Tabell )([A-Z0-9.]+)', (published / page).read_text()
        )
        assert served and served == built, f"{page}: numbers {served[:8]} but {built[:8]}"
    for page in written:  # each page its own pagename script (they piled up in a kept Sphinx)
        scripts = re.findall(
            r"DOCUMENTATION_OPTIONS\.pagename = '([^']*)'", (html / page).read_text()
        )
        assert scripts == [page.removesuffix(".html")], f"{page}: pagename scripts {scripts}"
