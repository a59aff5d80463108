"""Root conftest: applies to tests/ and to the nbval notebooks in _build/nbval/."""

import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """For a failing nbval cell, name the chapter's .md line and the stored number checks.

    nbval runs the notebooks kommunenkat.numberchecks generates under _build/nbval/; an editor
    needs the source: the .md file and line, and (for a number check) the file that stores the
    expected output.
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
