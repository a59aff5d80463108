import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kommunenkat.core import paths
from kommunenkat.tooling import bench


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "built(path, target): reads a build product under _build/ (default html/book/index.html, "
        "made by `make html`); fails naming the make target when it is missing",
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test of the built book fails, not skips, when the build is missing, and says what to
    build: a skipped check of the built site looks like a passed one in a long run."""
    marker = item.get_closest_marker("built")
    if marker is None:
        return
    rel = marker.args[0] if marker.args else "html/book/index.html"
    target = marker.kwargs.get("target", "make html")
    if not (paths.BUILD / rel).exists():
        pytest.fail(
            f"_build/{rel} is missing: build it with `{target}` first (`make test` does), or "
            'leave the tests of the built book out with -m "not built"',
            pytrace=False,
        )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ for corrupting."""
    dest = tmp_path / "data"
    shutil.copytree(paths.DATA, dest)
    return dest


def _minimal_book(parent: Path, root_text: str) -> tuple[Path, Path, str]:
    project = bench.copy_project(parent / "project", execution_cache=True)
    chapter = bench.first_chapter(project)
    rel = chapter.relative_to(project).with_suffix("").as_posix()
    (project / "korpus.md").write_text(root_text, encoding="utf-8")
    (project / "_toc.yml").write_text(
        f"format: jb-book\nroot: korpus\nchapters:\n  - file: {rel}\n", encoding="utf-8"
    )
    return project, chapter, rel


@pytest.fixture(scope="session")
def minimal_book() -> Callable[[Path, str], tuple[Path, Path, str]]:
    """Make a small book to build quickly: ``minimal_book(parent, root_text)`` copies the project
    into ``parent/project`` with the execution cache of the last build, and narrows its table of
    contents to a root page ``korpus.md`` (``root_text``) and the first chapter. Returns the
    project, the chapter's path and the chapter's path from the project without suffix."""
    return _minimal_book
