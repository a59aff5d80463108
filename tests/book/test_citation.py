"""CITATION.cff is valid CFF 1.2.0 in shape and says what book/citera.md and references.bib say."""

import re

import yaml

from kommunenkat.core import paths

CFF = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
CITERA = re.sub(r"\s+", " ", (paths.ROOT / "book" / "citera.md").read_text(encoding="utf-8"))
BIB = (paths.ROOT / "book" / "references.bib").read_text(encoding="utf-8")


def test_cff_required_keys():
    assert CFF["cff-version"] == "1.2.0"
    assert CFF["message"] and CFF["title"] and CFF["authors"]
    assert all("name" in a or "family-names" in a for a in CFF["authors"])
    assert CFF["type"] in {"dataset", "software"}


def test_citera_page_agrees_with_cff():
    assert CFF["title"] in CITERA
    assert f"Version {CFF['version']}" in CITERA and f"version = {{{CFF['version']}}}" in CITERA
    for author in CFF["authors"]:
        assert author["name"] in CITERA


def test_the_report_is_referenced_alike_everywhere():
    (report,) = [r for r in CFF["references"] if r["type"] == "report"]
    assert report["authors"][0]["name"] == "Sveriges Kommuner och Regioner"
    for text in (report["title"], report["collection-title"], str(report["year"])):
        assert text in CITERA, text
    assert report["title"] in BIB and report["title"] in CITERA


def test_cff_version_is_the_package_version():
    import tomllib

    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert CFF["version"] == pyproject["project"]["version"]
