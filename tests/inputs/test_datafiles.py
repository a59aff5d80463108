import json
import shutil

from kommunenkat.core import paths
from kommunenkat.inputs import datafiles


def test_every_file_listed_with_title_licence_and_source(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data, ignore=shutil.ignore_patterns("derived"))
    (data / "derived").mkdir()
    (data / "derived" / "county_counts.csv").write_text("a\n1\n", encoding="utf-8")
    pkg = json.loads((data / "datapackage.json").read_text(encoding="utf-8"))
    pkg["resources"].append({"name": "county_counts", "path": "derived/county_counts.csv",
                             "title": "Rekonstruerade antal"})  # fmt: skip
    (data / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    (data / "derived" / "new_table.csv").write_text("a\n1\n", encoding="utf-8")

    entries = {e["path"]: e for e in datafiles.entries(data)}
    assert set(entries) >= {"report_figures.csv", "counties.csv", "derived/county_counts.csv",
                            "derived/new_table.csv"}  # fmt: skip
    assert entries["derived/county_counts.csv"]["title"] == "Rekonstruerade antal"
    assert entries["derived/county_counts.csv"]["source"] == datafiles.DERIVED_SOURCE
    assert entries["derived/new_table.csv"]["title"] == datafiles.UNDESCRIBED.rstrip(".")
    # the report's own text (the claims audit's scan) stays SKR's; everything else is CC BY 4.0
    assert all("CC BY 4.0" in e["licence"] for p, e in entries.items() if p != "report_text.csv")
    assert "SKR" in entries["report_text.csv"]["licence"]
    assert "SKR" in entries["report_figures.csv"]["source"]
    text = datafiles.markdown(data)
    assert "{datafile}`new_table.csv <derived/new_table.csv>`" in text


def test_publish_copies_the_package_and_writes_a_reproducible_zip(tmp_path, monkeypatch):
    import zipfile

    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    (data / "derived" / "new_table.csv").write_text("a\n1\n", encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    site = tmp_path / "site"
    (site / "data").mkdir(parents=True)
    (site / "data" / "stale.csv").write_text("old\n", encoding="utf-8")

    files = datafiles.publish(site, data)
    assert files[0] == "datapackage.json" and "derived/new_table.csv" in files
    assert not (site / "data" / "stale.csv").exists()
    for rel in files:
        assert (site / "data" / rel).read_bytes() == (data / rel).read_bytes(), rel
    first = (site / datafiles.ZIP_NAME).read_bytes()
    with zipfile.ZipFile(site / datafiles.ZIP_NAME) as zf:
        assert zf.namelist() == files
        assert zf.read("derived/new_table.csv") == b"a\n1\n"
        assert {i.date_time for i in zf.infolist()} == {(2025, 11, 24, 16, 0, 0)}
    datafiles.publish(site, data)
    assert (site / datafiles.ZIP_NAME).read_bytes() == first
