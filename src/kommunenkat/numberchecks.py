"""Refresh the stored outputs of the chapters' number-check cells.

``make number-checks`` runs every chapter notebook, keeps the output of the cells marked
``# NBVAL_CHECK_OUTPUT`` (metadata ``keep_output: true``) and strips all other outputs. Run it only
when a published number is *meant* to change, and review the diff: ``make test`` compares these
stored outputs with a fresh run (nbval) and fails on any difference.
"""

from __future__ import annotations

import sys

import nbformat
from nbclient import NotebookClient

from . import paths

MARK = "# NBVAL_CHECK_OUTPUT"


def is_check_cell(cell) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith(MARK)


def strip(nb) -> None:
    """Remove outputs except those of number-check cells; clear execution counts."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_check_cell(cell):
            # nbval skips comparing a cell whose stored execution count is missing.
            cell.execution_count = 1
            cell.metadata["keep_output"] = True
            for out in cell.outputs:
                if "execution_count" in out:
                    out["execution_count"] = 1
        else:
            cell.execution_count = None
            cell.outputs = []
        cell.metadata.pop("execution", None)


def refresh(path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    strip(nb)
    nbformat.write(nb, path)
    print(f"number-checks: refreshed {path.relative_to(paths.ROOT)}")


def main(argv: list[str]) -> int:
    targets = [paths.ROOT / a for a in argv] or sorted((paths.ROOT / "notebooks").glob("*.ipynb"))
    for path in targets:
        refresh(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
