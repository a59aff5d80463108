"""The chapters' number checks: stored expected outputs, and the notebooks nbval runs.

Chapters are MyST Markdown notebooks (``notebooks/NN_*.md``, the only source of their prose and
code). A chapter's *number-check* cells are code cells whose source starts with
``# NBVAL_CHECK_OUTPUT``; they print the chapter's key numbers as ``key = value`` lines.

Their expected output is stored in ``tests/number_checks/NN_*.txt``, one block per check cell::

    ## number-check 1 (notebooks/02_in_depth_support.md)
    far_from_labour_market high 2023 = 19
    ...

- ``make number-checks`` (``python -m kommunenkat.tooling.numberchecks refresh``) executes
  every chapter and rewrites these files. Run it only when a published number is *meant* to
  change, and review the ``git diff``: one line per number.
- ``make test`` first calls ``materialize``: each chapter is converted with jupytext into
  ``_build/nbval/notebooks/NN_*.ipynb`` with the stored outputs put into its check cells. nbval
  (``--nbval-lax``) then executes every cell of every chapter and compares the check cells, so a
  changed number fails naming the chapter, the cell and the differing line
  (the root ``conftest.py`` adds the ``.md`` line and the stored file to the report).

The generated notebooks are build products (never edited, never committed), so no content
exists twice: prose and code live in the ``.md``, expected numbers in the ``.txt``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kommunenkat.core import paths

MARK = "# NBVAL_CHECK_OUTPUT"
CHECKS_DIR = paths.ROOT / "tests" / "number_checks"
NBVAL_DIR = paths.ROOT / "_build" / "nbval"
HEADER = re.compile(r"^## number-check (\d+)(?: \(.*\))?$")
CODE_CELL = re.compile(r"^```\{code-cell\}")


class NumberCheckError(Exception):
    """A chapter and its stored number checks do not fit together (message names both files)."""


def chapters() -> list[Path]:
    return sorted((paths.ROOT / "notebooks").glob("[0-9][0-9]_*.md"))


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def is_check_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(MARK)


def stored_path(chapter: Path) -> Path:
    return CHECKS_DIR / (chapter.stem + ".txt")


def code_cell_lines(text: str) -> list[int]:
    """1-based line of each ``{code-cell}`` fence in a MyST notebook, in order."""
    return [i for i, line in enumerate(text.splitlines(), 1) if CODE_CELL.match(line)]


def read_chapter(chapter: Path):
    """The chapter as a notebook (jupytext), each code cell's ``.md`` line in its metadata."""
    import jupytext

    text = chapter.read_text(encoding="utf-8")
    nb = jupytext.reads(text, fmt="md:myst")
    lines = iter(code_cell_lines(text))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.metadata["md_line"] = next(lines, None)
    nb.metadata.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3"})
    return nb


def parse_stored(path: Path) -> list[str]:
    """The stored outputs of one chapter, one string per check cell."""
    blocks: list[list[str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(keepends=True), 1):
        m = HEADER.match(line.rstrip("\n"))
        if m:
            if int(m.group(1)) != len(blocks) + 1:
                raise NumberCheckError(
                    f"{rel(path)}, line {number}: expected '## number-check {len(blocks) + 1}'"
                )
            blocks.append([])
        elif not blocks:
            if line.strip():
                raise NumberCheckError(
                    f"{rel(path)}, line {number}: text before the first '## number-check 1'"
                )
        else:
            blocks[-1].append(line)
    return ["".join(b) for b in blocks]


def format_stored(chapter: Path, nb, outputs: list[str]) -> str:
    out = []
    checks = [c for c in nb.cells if is_check_cell(c)]
    for i, (_cell, text) in enumerate(zip(checks, outputs, strict=True), 1):
        # No line number here: a prose edit above the cell would change this file (git diff
        # noise for editors); a failing check names the .md line (root conftest.py).
        out.append(f"## number-check {i} ({rel(chapter)})\n")
        out.append(text if text.endswith("\n") or not text else text + "\n")
    return "".join(out)


def _stdout(cell, chapter: Path) -> str:
    text = []
    for out in cell.outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            text.append(out["text"])
        else:
            raise NumberCheckError(
                f"{rel(chapter)}, line {cell.metadata.get('md_line')}: a number-check cell may "
                f"only print (got a {out.get('output_type')} output)"
            )
    return "".join(text)


def materialize(chapter: Path, dest_dir: Path = NBVAL_DIR / "notebooks") -> Path:
    """Write the notebook nbval runs: the chapter with its stored outputs in the check cells."""
    import nbformat

    nb = read_chapter(chapter)
    checks = [c for c in nb.cells if is_check_cell(c)]
    store = stored_path(chapter)
    if not store.exists():
        raise NumberCheckError(
            f"{rel(chapter)}: no stored number checks ({rel(store)} is missing): "
            "run `make number-checks`"
        )
    stored = parse_stored(store)
    if len(stored) != len(checks):
        raise NumberCheckError(
            f"{rel(chapter)} has {len(checks)} number-check cell(s), {rel(store)} stores "
            f"{len(stored)}: run `make number-checks` and review the diff"
        )
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = []
    for cell, text in zip(checks, stored, strict=True):
        # nbval skips comparing a cell whose stored execution count is missing.
        cell.execution_count = 1
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        cell.metadata["number_check_file"] = rel(store)
    for cell in nb.cells:
        cell.metadata["source_file"] = rel(chapter)
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / (chapter.stem + ".ipynb")
    nbformat.write(nb, dest)
    return dest


def refresh(chapter: Path) -> Path:
    """Execute the chapter and store the outputs of its number-check cells."""
    from nbclient import NotebookClient

    nb = read_chapter(chapter)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(chapter.parent)}},
    ).execute()
    checks = [c for c in nb.cells if is_check_cell(c)]
    store = stored_path(chapter)
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text(
        format_stored(chapter, nb, [_stdout(c, chapter) for c in checks]), encoding="utf-8"
    )
    return store


def _targets(names: list[str]) -> list[Path]:
    if not names:
        return chapters()
    out = []
    for name in names:
        p = (paths.ROOT / name) if not Path(name).is_absolute() else Path(name)
        if p.suffix != ".md" or not p.is_file():
            raise NumberCheckError(f"{name}: not a chapter (expected notebooks/NN_*.md)")
        out.append(p)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kommunenkat.tooling.numberchecks", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("action", choices=["refresh", "materialize"])
    parser.add_argument("chapters", nargs="*", help="notebooks/NN_*.md (default: all chapters)")
    args = parser.parse_args(argv)
    try:
        targets = _targets(args.chapters)
        if args.action == "materialize":
            import shutil

            shutil.rmtree(NBVAL_DIR, ignore_errors=True)
        for chapter in targets:
            if args.action == "refresh":
                print(f"number-checks: stored {rel(refresh(chapter))}")
            else:
                materialize(chapter)
    except NumberCheckError as exc:
        print(f"number-checks: {exc}", file=sys.stderr)
        return 1
    if args.action == "materialize":
        print(f"number-checks: {len(targets)} chapters ready for nbval in {rel(NBVAL_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
