"""A new survey round needs data rows only: the synthetic round in tests/fixtures/synthetic_round
(invented numbers, never in data/, never published) is appended to a copy of data/ and the data
layer, the validator, the reconstruction and the figure source lines must follow it."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import REGION_NATIONAL, REGIONS, SCALE_QUESTIONS
from kommunenkat.graphics import style
from kommunenkat.inference import analysis, reconstruct
from kommunenkat.inputs import data
from kommunenkat.inputs.validate import validate_all
from kommunenkat.text import wording
from kommunenkat.tooling import bench

FIXTURE = Path(__file__).parents[1] / "fixtures" / "synthetic_round"


def append_rows(target: Path, rows: Path) -> None:
    body = rows.read_text(encoding="utf-8").split("\n", 1)[1]
    text = target.read_text(encoding="utf-8")
    target.write_text(text + ("" if text.endswith("\n") else "\n") + body, encoding="utf-8")


def with_round(dest: Path, fixture: Path = FIXTURE) -> Path:
    """A copy of data/ with a synthetic round (default: ``FIXTURE``) added the way the README
    tells a maintainer."""
    shutil.copytree(paths.DATA, dest)
    for name in ("rounds.csv", "report_figures.csv"):
        append_rows(dest / name, fixture / name)
    return dest


def use_data(monkeypatch, d: Path) -> None:
    """Point the package at the data folder ``d`` (for this test) and forget cached results."""
    for attr in ("DATA", "REPORT_FIGURES", "ROUNDS", "COUNTIES", "REPORT_FACTS"):
        monkeypatch.setattr(paths, attr, d / getattr(paths, attr).name if attr != "DATA" else d)
    clear_caches()


def clear_caches() -> None:
    data.require_valid.cache_clear()
    reconstruct.solve.cache_clear()
    for fn in vars(analysis).values():
        if callable(getattr(fn, "cache_clear", None)):
            fn.cache_clear()


@pytest.fixture
def new_round(tmp_path, monkeypatch):
    real_latest = data.latest_round()
    real_tables = {q: data.county_table(q) for q in SCALE_QUESTIONS}
    d = with_round(tmp_path / "data")
    use_data(monkeypatch, d)
    yield d, real_latest, real_tables
    clear_caches()


def _fixture_year() -> int:
    return int(pd.read_csv(FIXTURE / "rounds.csv")["year"].iloc[0])


def test_real_rounds_match_the_report():
    """Scale change between 2021 and 2022 (report, footnote 1); only 2023 publishes respondents."""
    assert data.scale_breaks() == [2021]
    assert data.latest_round() == 2023
    assert data.previous_comparable_round() == 2022
    assert data.comparable_rounds() == [2022]
    assert data.first_published_respondents() == 2023
    assert data.respondents() == 244 and data.respondents(2022) is None
    assert style.source_latest() == "Källa: SKR, Kommunenkät 2023 (244 av 290 kommuner svarade)."


def test_synthetic_round_is_marked_and_kept_out_of_data():
    text = (FIXTURE / "report_figures.csv").read_text(encoding="utf-8")
    assert all("SYNTETISK" in line for line in text.splitlines()[1:])
    year = _fixture_year()
    assert year not in data.round_years()
    assert not (data.report_figures()["year"] == year).any()


def test_validator_accepts_the_new_round(tmp_path):
    report = validate_all(with_round(tmp_path / "data"))
    assert report.ok, report.summary()


def test_validator_names_what_a_new_round_lacks(tmp_path):
    d = with_round(tmp_path / "data")
    year = _fixture_year()
    f = d / "report_figures.csv"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped = next(i for i, s in enumerate(lines) if f",{year},Kronoberg,very_low," in s)
    f.write_text("".join(lines[:dropped] + lines[dropped + 1 :]), encoding="utf-8")
    errs = [str(p) for p in validate_all(d).errors]
    assert any(
        f"missing row question=far_from_labour_market year={year} region=Kronoberg "
        "category=very_low" in e
        for e in errs
    ), errs


def test_validator_refuses_rows_of_an_unlisted_round(tmp_path):
    d = with_round(tmp_path / "data")
    r = d / "rounds.csv"
    r.write_text("".join(r.read_text(encoding="utf-8").splitlines(keepends=True)[:-1]))
    errs = [str(p) for p in validate_all(d).errors]
    assert any(
        f"year {_fixture_year()} is not a survey round listed in rounds.csv" in e for e in errs
    )


def test_validator_checks_the_response_rate(tmp_path):
    d = with_round(tmp_path / "data")
    r = d / "rounds.csv"
    r.write_text(r.read_text(encoding="utf-8").replace(",247,290,85,", ",247,290,58,"))
    errs = [str(p) for p in validate_all(d).errors]
    assert any("rounds.csv" in e and "58 % is not 247/290" in e for e in errs), errs


def test_data_layer_follows_the_new_round(new_round):
    _, real_latest, real_tables = new_round
    year = _fixture_year()
    fixture = pd.read_csv(FIXTURE / "report_figures.csv")
    assert data.latest_round() == year
    assert data.previous_comparable_round() == real_latest
    assert real_latest in data.comparable_rounds() and 2021 not in data.comparable_rounds()
    for q in SCALE_QUESTIONS:
        t = data.county_table(q)  # two rounds of county tables: must not mix or crash
        f = fixture[
            (fixture["question"] == q) & fixture["region"].isin([REGION_NATIONAL, *REGIONS])
        ]
        f = f[f["figure"] == SCALE_QUESTIONS[q]["county"]]
        expected = f.pivot(index="region", columns="category", values="percent")
        pd.testing.assert_frame_equal(
            t, expected.reindex(index=t.index, columns=t.columns), check_names=False
        )
        pd.testing.assert_frame_equal(data.county_table(q, year=real_latest), real_tables[q])
        s = data.national_series(q)
        assert not s.duplicated(["year", "category"]).any()
        assert year in set(s["year"]) and real_latest in set(s["year"])


def test_validator_wants_a_new_rounds_rows_in_its_own_edition(tmp_path):
    d = with_round(tmp_path / "data")
    f = d / "report_figures.csv"
    year = _fixture_year()
    row = f"12,{year},far_from_labour_market,{year},"
    text = f.read_text(encoding="utf-8")
    assert row in text
    f.write_text(text.replace(row, f"12,2023,far_from_labour_market,{year},", 1), encoding="utf-8")
    errs = [str(p) for p in validate_all(d).errors]
    assert any(f"edition 2023 is older than the row's year {year}" in e for e in errs), errs


@pytest.mark.slow  # over 10 s (pytest --durations)
def test_change_tests_compare_the_new_round_with_each_earlier_round(new_round):
    _, real_latest, _ = new_round
    year = _fixture_year()
    assert analysis.latest_year() == year and analysis.previous_year() == real_latest
    ch = analysis.changes()
    assert set(ch["year_from"]) == {real_latest} and set(ch["year_to"]) == {year}
    every = analysis.all_changes()
    assert sorted(set(every["year_from"])) == data.comparable_rounds(year)
    assert set(every["year_from"]) == {2022, real_latest}
    # the previous round's respondents are published and its county tables reconstructed: the
    # change is tested with its counts (strategic positive 2023: 149 of the 243 municipalities
    # that answered the question), no assumption, the band is that one n
    r = ch.set_index(["question", "category"]).loc[("strategic_collab", "high")]
    assert (r["k_from"], r["n_from_assumed"]) == (149, 243)
    assert r["p_from"] == 149 / 243
    assert (r["n_from_band_low"], r["n_from_band_high"]) == (243, 243)
    assert r["percent_from_printed"] == 61  # the 2023 report's printed value
    assert r["n_to"] <= 247
    assert r["significant"] == r["significant_whole_range"] == (r["p_value"] < analysis.ALPHA)
    # 2022 keeps its computed assumption: 82 % (2021) of 290
    assert (every.loc[every["year_from"] == 2022, "n_from_assumed"] == 238).all()
    sens = analysis.sensitivity_table(all_years=True)
    assert set(sens["year_from"]) == {2022, real_latest}
    assert set(analysis.sensitivity_table()["year_from"]) == {real_latest}
    exact = sens[sens["year_from"] == real_latest]  # one row per change: the counts are known
    assert len(exact) == len(ch) and (exact["k1_min"] == exact["k1_max"]).all()
    assert set(exact["n1"]) == {243, 244}  # the questions' n in 2023 (one fewer for strategic)
    emp = analysis.employer_change()
    assert set(emp["year_from"]) == {real_latest} and set(emp["year_to"]) == {year}


def test_sentences_the_new_round_no_longer_supports_are_listed(new_round):
    """The typed sentences about the unknown number of respondents of the compared round, the
    employer comparison across the scale change and the agreements that began between the
    compared rounds are no longer true with the synthetic round: the check names them."""
    bad = {c.sentence for c in wording.unsupported()}
    assert any("respondents are not published" in s for s in bad), bad
    assert any("no value for the previous comparable round" in s for s in bad), bad
    assert any("sammanfaller i tid" in s for s in bad), bad


def test_reconstruction_uses_the_new_round(new_round):
    rec = reconstruct.solve()
    assert reconstruct.county_year() == _fixture_year()
    assert rec.respondents == 247
    check = reconstruct.national_check(rec)
    assert check["matches"].all(), check
    assert max(check["n"]) == 247


def test_figure_sources_name_the_new_round(new_round):
    year = _fixture_year()
    assert style.source_latest() == f"Källa: SKR, Kommunenkät {year} (247 av 290 kommuner svarade)."
    years = data.national_series("strategic_collab")["year"]
    assert style.source_series(years) == (
        f"Källa: SKR, Kommunenkät 2019–{year}. Antalet svarande före 2023 är inte publicerat."
    )


def test_history_keeps_its_own_source(new_round):
    """A figure of the earlier round's data (kinds of help, asked only then) keeps that round's
    source line, respondents included, when a newer round exists."""
    year = _fixture_year()
    assert year not in set(data.report_figures().query("question == 'help_kinds'")["year"])
    assert style.source_latest(2023) == (
        "Källa: SKR, Kommunenkät 2023 (244 av 290 kommuner svarade)."
    )


# =========================================================================== the whole book
def _site_text(site: Path, stem: str) -> str:
    """A page's HTML and the SVG figures it shows (figure text is kept as text in SVG)."""
    page = site / f"{stem}.html"
    text = page.read_text(encoding="utf-8")
    for src in re.findall(r'<img[^>]+src="([^"]+\.svg)"', text):
        f = (page.parent / src).resolve()
        if f.exists():
            text += f.read_text(encoding="utf-8")
    return html.unescape(text)


@pytest.mark.slow
class TestBookWithNewRound:
    """`make derive html` in a copy of the project with the synthetic round added as data rows
    only (no change to src/ or notebooks/)."""

    @pytest.fixture(scope="class")
    @classmethod
    def book(cls, tmp_path_factory):
        project = bench.copy_project(tmp_path_factory.mktemp("nextyear") / "project")
        for name in ("rounds.csv", "report_figures.csv"):
            append_rows(project / "data" / name, FIXTURE / name)
        proc = bench.make(project, "derive", "html", timeout=2400)
        return project, proc

    def test_book_builds(self, book):
        _, proc = book
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]

    def test_county_analyses_use_the_new_round(self, book):
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        response = pd.read_csv(project / "data" / "derived" / "county_response.csv")
        assert response["respondents"].sum() == 247
        fixture_n = pd.read_csv(FIXTURE / "rounds.csv")["respondents"].iloc[0]
        assert fixture_n == 247

    @pytest.mark.parametrize(
        "stem", ["02_in_depth_support", "03_collaboration", "04_employer_support"]
    )
    def test_chapter_figures_name_the_new_round(self, book, stem):
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        text = _site_text(project / "_build" / "html" / "notebooks", stem)
        year = _fixture_year()
        assert f"Kommunenkät {year} (247 av 290 kommuner svarade)" in text
        assert re.search(rf"Kommunenkät 20\d\d–{year}\. Antalet svarande före 2023", text)
        assert "Kommunenkät 2023 (244 av 290" not in text

    def test_chapters_follow_the_new_round(self, book):
        """Chapters 02–05 and 07 name the new round, compare it with the round before on the
        same scale, and use the previous round's numbers only as history."""
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        site = project / "_build" / "html" / "notebooks"
        year = _fixture_year()
        prev = year - 1
        fx = pd.read_csv(FIXTURE / "report_figures.csv")
        real = pd.read_csv(paths.REPORT_FIGURES)

        def series(frame, q, y, cat):
            s = frame[(frame.question == q) & (frame.year == y) & (frame.category == cat)]
            return int(s[s.region == REGION_NATIONAL]["percent"].iloc[0])

        texts = {}
        for stem in ("02_in_depth_support", "03_collaboration", "04_employer_support",
                     "05_proposals", "07_county_appendix"):  # fmt: skip
            texts[stem] = re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", _site_text(site, stem)))
            assert str(year) in texts[stem], stem
        t = texts["02_in_depth_support"]
        assert f"Förändringen {prev}–{year}" in t
        new = series(fx, "far_from_labour_market", year, "high")
        old = series(real, "far_from_labour_market", prev, "high")
        assert f"År {year} bedömde {fmt.pct(new)}" in t
        assert f"Året innan var andelarna {fmt.pct(old)}" in t  # the previous round: history
        assert f"Svarsfördelningen {prev}" not in t and f"Svarsfördelningen {year}" in t
        assert f"Förändringen {prev}–{year}" in texts["03_collaboration"]
        assert f"Jämförelsen {prev}–{year}" in texts["04_employer_support"]
        ch = pd.read_csv(project / "data" / "derived" / "changes.csv")
        assert set(ch["year_to"]) == {year} and set(ch["year_from"]) == {2022, prev}

    def test_prose_names_the_new_round_everywhere(self, book):
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        site = project / "_build" / "html"
        year = str(_fixture_year())
        pages = [site / "book" / "index.html", site / "book" / "metod.html"]
        pages += sorted((site / "notebooks").glob("0[2-57]_*.html"))
        for page in pages:
            assert year in page.read_text(encoding="utf-8"), page.name
        index = html.unescape((site / "book" / "index.html").read_text(encoding="utf-8"))
        assert "Enkätåret är 2023" not in index

    def test_book_title_and_description_name_the_new_round(self, book):
        """_config.yml's title and description take the round from the data ([[key]])."""
        project, proc = book
        assert proc.returncode == 0, "the build failed (see test_book_builds)"
        year = str(_fixture_year())
        for page in (project / "_build" / "html" / "notebooks").glob("0*.html"):
            text = html.unescape(page.read_text(encoding="utf-8"))
            title = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
            assert f"Kommunenkät {year} – en körbar rapportbok" in title, (page.name, title)
            assert "[[" not in text, page.name
            description = re.search(r'<meta name="description" content="([^"]*)"', text)
            assert description and f"kommunenkät {year}" in description.group(1), page.name


def test_claims_audit_keeps_auditing_its_own_edition(tmp_path, monkeypatch):
    """The audit examines the 2023 report's claims: a later round's rows (another edition) must
    not move its checks onto the new round's numbers or counts."""
    from kommunenkat.audit import checks, claims, published

    before = checks.audit()
    d = with_round(tmp_path / "data")
    for attr in ("DATA", "REPORT_FIGURES", "ROUNDS", "COUNTIES", "REPORT_FACTS"):
        monkeypatch.setattr(paths, attr, d / getattr(paths, attr).name if attr != "DATA" else d)
    clear_caches()
    published.national_n.cache_clear()
    try:
        assert data.latest_round() > claims.audited_edition()
        pd.testing.assert_frame_equal(checks.audit(), before)
    finally:
        clear_caches()
        published.national_n.cache_clear()
