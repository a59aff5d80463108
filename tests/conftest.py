import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kommunenkat.core import paths
from kommunenkat.tooling import bench


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
