"""A new round of another shape than tests/fixtures/synthetic_round: tests/fixtures/falling_round
(invented numbers, never in data/, never published) has a falling strategic share, respondents
added in several counties and a county that reaches its municipality count; its variant
``impossible/`` has one respondent more in that county than it has municipalities.

The previous round (the latest real one) publishes its respondents and its county tables are
reconstructed, so the change tests use its counts and no page may speak of its n as unknown."""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kommunenkat.core import paths
from kommunenkat.inference import analysis, earlier_rounds, reconstruct
from kommunenkat.inputs import data
from kommunenkat.inputs.validate import validate_all
from kommunenkat.text import chapter, front_page, wording
from kommunenkat.tooling import bench, derive, prechecks
from tests.tooling.test_next_round import append_rows, clear_caches, use_data, with_round

FIXTURE = Path(__file__).parents[1] / "fixtures" / "falling_round"
IMPOSSIBLE = FIXTURE / "impossible"
FULL_COUNTY = "Södermanland"  # 9 municipalities; 9 answers in the round, 10 in the impossible one
# What a page may not say about a previous round whose respondents are published.
UNKNOWN_N = (
    "tänkbart antal svarande",
    "tänkbara antal",
    "rimliga intervallet för antalet svarande",
)


def _year() -> int:
    return int(pd.read_csv(FIXTURE / "rounds.csv")["year"].iloc[0])


def _line_of(path: Path, *fields: str) -> int:
    """The line of ``path`` whose comma-separated fields include every one of ``fields``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        cells = line.split(",")
        if all(f in cells for f in fields):
            return number
    raise AssertionError(fields)


def _false_about_earlier_n(text: str, n: int) -> list[str]:
    """What ``text`` says as if the earlier round's n (published: ``n``) were unknown."""
    found = [p for p in UNKNOWN_N if p in text]
    found += re.findall(rf"\b{n}\s*–\s*{n}\b", text)  # a band of one n: 244–244
    found += re.findall(r"\b(\d+,\d)\s*–\s*\1\s*%", text)  # a rate band of one rate: 84,1–84,1 %
    return found


@pytest.fixture
def falling(tmp_path, monkeypatch):
    d = with_round(tmp_path / "data", FIXTURE)
    use_data(monkeypatch, d)
    yield d
    clear_caches()


# =========================================================================== the data
def test_fixture_is_marked_synthetic_and_kept_out_of_data():
    for f in (FIXTURE / "report_figures.csv", IMPOSSIBLE / "report_figures.csv"):
        assert all("SYNTETISK" in line for line in f.read_text(encoding="utf-8").splitlines()[1:])
    assert _year() not in data.round_years()


def test_validator_accepts_the_falling_round(tmp_path):
    report = validate_all(with_round(tmp_path / "data", FIXTURE))
    assert report.ok, report.summary()


def test_validator_names_the_impossible_county_row(tmp_path):
    """One answer more than Södermanland has municipalities: every sum and aggregate is right,
    only no counts of at most 9 municipalities print as its rows. The error names the file and
    line, the county, the question and the printed values."""
    d = with_round(tmp_path / "data", IMPOSSIBLE)
    report = validate_all(d)
    assert {p.check for p in report.errors} == {"county-counts"}, report.summary()
    year = str(_year())
    line = _line_of(
        d / "report_figures.csv", year, "far_from_labour_market", FULL_COUNTY, "very_high"
    )
    errors = [str(p) for p in report.errors]
    expected = (
        f'report_figures.csv:{line}: field "percent": {FULL_COUNTY}, question '
        f"far_from_labour_market, {year} (figure 12, lines {line}–{line + 7}): no counts of at "
        f"most 9 answering municipalities ({FULL_COUNTY}'s municipalities in counties.csv) give "
        "the printed percentages very_high 0, fairly_high 0, middle 70, fairly_low 0, very_low "
        "10, dont_know 20, high 0, low 10 under the report's half-up rounding; the smallest n "
        "that gives them is 10"
    )
    assert any(e.endswith(expected) for e in errors), "\n".join(errors)


def test_check_data_command_rejects_the_impossible_round_without_a_traceback(tmp_path):
    d = with_round(tmp_path / "data", IMPOSSIBLE)
    proc = subprocess.run(
        [sys.executable, "-m", "kommunenkat.inputs.validate", str(d)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout
    line = _line_of(
        d / "report_figures.csv", str(_year()), "strategic_collab", FULL_COUNTY, "very_high"
    )
    assert (
        f'report_figures.csv:{line}: field "percent": {FULL_COUNTY}, question strategic_collab'
        in proc.stderr
    )


def test_derive_refuses_the_impossible_round_without_a_traceback(tmp_path, monkeypatch, capsys):
    d = with_round(tmp_path / "data", IMPOSSIBLE)
    use_data(monkeypatch, d)
    monkeypatch.setattr(paths, "DERIVED", d / "derived")
    before = bench.tree_digest(d / "derived")
    try:
        assert derive.main([]) == 1
    finally:
        clear_caches()
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert f"{FULL_COUNTY}, question far_from_labour_market" in err
    assert "nothing was derived" in err
    assert bench.tree_digest(d / "derived") == before


def test_derive_names_a_table_the_data_do_not_allow(monkeypatch, capsys):
    """Rows that each have counts but no national row does: named, not a traceback."""

    def no_combination(year=None):
        raise ValueError("no combination of the regions' counts reproduces the national rows")

    monkeypatch.setattr(reconstruct, "solve", no_combination)
    monkeypatch.setattr(derive, "data_problems", lambda: [])
    assert derive.main(["--check"]) == 1
    err = capsys.readouterr().err
    assert (
        "derive: data/derived/county_counts.csv cannot be computed from data/: no combination"
        in err
    )
    assert "Traceback" not in err
    problems = prechecks.reconstruction_problems()
    line = _line_of(paths.REPORT_FIGURES, "2023", "Riket", "very_high")
    assert problems == [
        f"data/report_figures.csv:{line}: the county tables of 2023 cannot be reconstructed: "
        "no combination of the regions' counts reproduces the national rows"
    ]


# =========================================================================== the analysis
def test_the_county_that_reaches_its_municipality_count(falling):
    response = reconstruct.county_response().set_index("region")
    assert response.loc[FULL_COUNTY, "respondents"] == response.loc[FULL_COUNTY, "municipalities"]
    assert reconstruct.solve().respondents == data.respondents() == 251


def test_changes_from_a_round_with_reconstructed_counts_use_them(falling):
    prev = analysis.previous_year()
    assert earlier_rounds.n_known(prev) and earlier_rounds.counts_reconstructed(prev)
    assert earlier_rounds.counts("strategic_collab", "high", prev) == (149, 243)
    ch = analysis.changes().set_index(["question", "category"])
    r = ch.loc[("strategic_collab", "high")]
    assert (r["k_from"], r["n_from_assumed"]) == (149, 243)
    assert r["diff"] < 0  # the strategic share falls
    assert (r["n_from_band_low"], r["n_from_band_high"]) == (243, 243)
    sens = analysis.sensitivity_table()
    assert (sens["k1_min"] == sens["k1_max"]).all() and len(sens) == len(ch)
    # the round before, whose respondents are unpublished, keeps its assumption and band
    every = analysis.all_changes()
    old = every[every["year_from"] == 2022]
    assert (old["n_from_assumed"] == 238).all() and (old["n_from_band_low"] < 238).all()


def test_change_words_state_the_earlier_n_plainly(falling):
    prev = analysis.previous_year()
    texts = front_page.change_summary_texts()
    for prefix in ("fordjupat", "strategisk", "operativ"):
        q = {"fordjupat": "far_from_labour_market", "strategisk": "strategic_collab",
             "operativ": "operative_collab"}[prefix]  # fmt: skip
        texts |= chapter.change_texts(q, prefix)
    bad = {k: v for k, v in texts.items() if _false_about_earlier_n(v, 244)}
    assert not bad, bad
    assert texts["strategisk-chg-high-band"] == "243"
    assert texts["index-strategic_collab-chg-high-robust"].startswith(
        "är inte statistiskt säkerställd"
    )
    assert f"prövad med {prev} års rekonstruerade antal" in texts["strategisk-chg-high-robust"]


def test_wording_check_lists_every_page_that_calls_the_earlier_n_unknown(falling):
    bad = wording.unsupported()
    pages = {c.page.split("/")[-1] for c in bad}
    assert {"lasanvisning", "metod", "metodbilaga", "02_in_depth_support", "03_collaboration"} <= (
        pages
    ), pages
    assert all(c.line for c in bad if c.page.startswith("book/lasanvisning"))
    # The front page's phrases are computed and follow the data: covered, and true.
    front = [c for c in wording.conditions() if c.page == "book/index"]
    assert len(front) == 3 and all(c.holds for c in front)


# =========================================================================== the whole book
def _page_texts(site: Path) -> dict[str, str]:
    """Every HTML page's text (tags removed) with the SVG figures it shows."""
    out = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for src in re.findall(r'<img[^>]+src="([^"]+\.svg)"', text):
            f = (page.parent / src).resolve()
            if f.exists():
                text += f.read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
        out[str(page.relative_to(site))] = re.sub(r"\s+", " ", text)
    return out


@pytest.mark.slow
class TestBookWithFallingRound:
    """`make check-data derive html` in a copy of the project with the falling round added as
    data rows only."""

    @pytest.fixture(scope="class")
    @classmethod
    def book(cls, tmp_path_factory):
        project = bench.copy_project(tmp_path_factory.mktemp("falling") / "project")
        for name in ("rounds.csv", "report_figures.csv"):
            append_rows(project / "data" / name, FIXTURE / name)
        proc = bench.make(project, "check-data", "derive", "html", timeout=3600)
        return project, proc

    def test_book_builds(self, book):
        _, proc = book
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]

    def test_changes_use_the_reconstructed_counts_of_the_previous_round(self, book):
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        ch = pd.read_csv(project / "data" / "derived" / "changes.csv")
        r = ch.set_index(["question", "category", "year_from"]).loc[
            ("strategic_collab", "high", 2023)
        ]
        assert (r["k_from"], r["n_from_assumed"]) == (149, 243) and r["diff"] < 0
        response = pd.read_csv(project / "data" / "derived" / "county_response.csv")
        full = response.set_index("region").loc[FULL_COUNTY]
        assert full["respondents"] == full["municipalities"] == 9

    def test_no_page_calls_the_previous_rounds_n_unknown(self, book):
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        texts = _page_texts(project / "_build" / "html")
        assert any("Kommunenkät 2024" in t for t in texts.values())
        bad = {
            page: found for page, t in texts.items() if (found := _false_about_earlier_n(t, 244))
        }
        assert not bad, bad
        assert "Minskningen av den positiva andelen" in texts["notebooks/03_collaboration.html"]
