"""The data package as a visitor downloads it from the built site (make test builds it first).

The site publishes data/ at the fixed folder ``data/`` and as one zip
(kommunenkat.inputs.datafiles):
both must validate with the frictionless library as they are, and the data page must link to
exactly those files.
"""

from __future__ import annotations

import json
import re
import zipfile
from posixpath import normpath

import frictionless
import pytest

from kommunenkat.core import paths
from kommunenkat.inputs import datafiles

SITE = paths.BUILD / "html"
PUBLISHED = SITE / datafiles.SITE_DIR
ZIP = SITE / datafiles.ZIP_NAME

pytestmark = pytest.mark.built("html/book/index.html")


def _problems(report) -> str:
    rows = report.flatten(["taskPath", "rowNumber", "fieldName", "type", "note"])
    return "\n".join(f"  {r}" for r in rows[:30])


def test_published_package_validates():
    report = frictionless.validate(str(PUBLISHED / "datapackage.json"))
    assert report.valid, f"the published data package does not validate:\n{_problems(report)}"
    n = len(json.loads((PUBLISHED / "datapackage.json").read_text(encoding="utf-8"))["resources"])
    assert report.stats["tasks"] == n >= 15


def test_published_files_are_the_project_files():
    for rel in datafiles.published_files():
        assert (PUBLISHED / rel).read_bytes() == (paths.DATA / rel).read_bytes(), rel
    on_site = {p.relative_to(PUBLISHED).as_posix() for p in PUBLISHED.rglob("*") if p.is_file()}
    assert on_site == set(datafiles.published_files())


def test_zip_validates_and_holds_the_package():
    report = frictionless.validate(str(ZIP))
    assert report.valid, f"the data zip does not validate:\n{_problems(report)}"
    with zipfile.ZipFile(ZIP) as zf:
        assert zf.namelist() == datafiles.published_files()
        for rel in zf.namelist():
            assert zf.read(rel) == (paths.DATA / rel).read_bytes(), rel


def test_data_page_links_every_published_file():
    html = (SITE / "book" / "data.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a class="datafile[^"]*" href="([^"]+)"', html)
    targets = {normpath(f"book/{h}") for h in hrefs}
    missing = sorted(t for t in targets if not (SITE / t).is_file())
    assert not missing, f"links to files the site does not have: {missing}"
    expected = {f"{datafiles.SITE_DIR}/{rel}" for rel in datafiles.published_files()}
    assert expected | {datafiles.ZIP_NAME} <= targets, sorted(expected - targets)
    assert "_downloads/" not in " ".join(hrefs)
