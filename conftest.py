"""Root conftest: applies to tests/ and to the nbval notebooks in _build/nbval/."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """For a failing nbval cell, name the chapter's .md line and the stored number checks.

    nbval runs the notebooks kommunenkat.tooling.numberchecks generates under _build/nbval/; an
    editor needs the source: the .md file and line, and (for a number check) the file that
    stores the expected output.
    """
    report = yield
    cell = getattr(item, "cell", None)
    if report.failed and cell is not None and "source_file" in getattr(cell, "metadata", {}):
        where = f"{cell.metadata['source_file']}, line {cell.metadata.get('md_line')}"
        stored = cell.metadata.get("number_check_file")
        text = f"chapter source: {where}"
        if stored:
            text += (
                f"\nexpected numbers stored in: {stored} (if the change is meant: "
                "`make number-checks`, review the diff)"
            )
        report.sections.append(("kommunenkat number check", text))
    return report


# The test scopes that take longest (seconds on 2 workers, measured November 2026), in the order
# `make test` starts them. pytest-xdist's --dist loadscope would otherwise start the scopes with
# the most tests first, so these (few tests, one long fixture each) started last and one worker
# idled while the other finished them; the Makefile passes --no-loadscope-reorder.
SLOW_SCOPES = (
    "tests/tooling/test_next_round.py::TestBookWithNewRound",  # a whole book with a synthetic round
    "tests/tooling/test_reliability.py::TestReproducibleOfflineBuild",  # a second clean build
    "tests/inputs/test_validate.py",  # derive --check: every derived table computed again
    "tests/book/test_accessibility.py",  # axe-core and console checks of every page
    "tests/tooling/test_preview.py::TestPreview",
    "tests/tooling/test_reliability.py::TestPageCorpus",
    "_build/nbval/notebooks/03_",
    "_build/nbval/notebooks/",
)


def _slow_rank(item) -> int:
    nodeid = item.nodeid
    return next(
        (i for i, prefix in enumerate(SLOW_SCOPES) if nodeid.startswith(prefix)), len(SLOW_SCOPES)
    )


def pytest_collection_modifyitems(session, config, items):
    """The slowest scopes first (a stable sort: the order within each scope is kept)."""
    items.sort(key=_slow_rank)


def pytest_configure(config):
    """Let nbval's notebook kernels skip the data validation the build already did.

    Each chapter calls ``data.require_valid()``, which validates ``data/`` (about 2 s per kernel)
    unless ``KOMMUNENKAT_VALIDATED_DATA`` holds the digest of the data files it checks. The book
    build of `make test` validated exactly these files and recorded it in
    ``_build/.data-validated`` (keyed by the data, the package's code and frictionless); when
    that record is current, the kernels get the digest as the build's kernels do. Without the
    record (pytest on its own), every kernel validates as before.
    """
    import os

    from kommunenkat.core import paths
    from kommunenkat.inputs import validated

    stamp = paths.BUILD / ".data-validated"
    try:
        current = stamp.read_text() == validated.validation_key()
    except OSError:
        current = False
    if current:
        os.environ[validated.VALIDATED_ENV] = validated.data_digest()
