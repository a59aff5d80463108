"""A new survey round needs data rows only: the synthetic round in tests/fixtures/synthetic_round
(invented numbers, never in data/, never published) is appended to a copy of data/ and the data
layer, the validator, the reconstruction and the figure source lines must follow it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from kommunenkat import data, figures, paths, reconstruct
from kommunenkat.labels import REGION_NATIONAL, REGIONS, SCALE_QUESTIONS
from kommunenkat.validate import validate_all

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_round"


def _append(target: Path, rows: Path) -> None:
    body = rows.read_text(encoding="utf-8").split("\n", 1)[1]
    text = target.read_text(encoding="utf-8")
    target.write_text(text + ("" if text.endswith("\n") else "\n") + body, encoding="utf-8")


def with_round(dest: Path) -> Path:
    """A copy of data/ with the synthetic round added the way the README tells a maintainer."""
    shutil.copytree(paths.DATA, dest)
    for name in ("rounds.csv", "report_figures.csv"):
        _append(dest / name, FIXTURE / name)
    return dest


def _clear_caches() -> None:
    data.require_valid.cache_clear()
    reconstruct.solve.cache_clear()


@pytest.fixture
def new_round(tmp_path, monkeypatch):
    real_latest = data.latest_round()
    real_tables = {q: data.county_table(q) for q in SCALE_QUESTIONS}
    d = with_round(tmp_path / "data")
    for attr in ("DATA", "REPORT_FIGURES", "ROUNDS", "COUNTIES", "REPORT_FACTS"):
        monkeypatch.setattr(paths, attr, d / getattr(paths, attr).name if attr != "DATA" else d)
    _clear_caches()
    yield d, real_latest, real_tables
    _clear_caches()


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
    assert figures.source_latest() == "Källa: SKR, Kommunenkät 2023 (244 av 290 kommuner svarade)."


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


def test_reconstruction_uses_the_new_round(new_round):
    rec = reconstruct.solve()
    assert reconstruct.county_year() == _fixture_year()
    assert rec.respondents == 247
    check = reconstruct.national_check(rec)
    assert check["matches"].all(), check
    assert max(check["n"]) == 247


def test_figure_sources_name_the_new_round(new_round):
    year = _fixture_year()
    assert (
        figures.source_latest() == f"Källa: SKR, Kommunenkät {year} (247 av 290 kommuner svarade)."
    )
    years = data.national_series("strategic_collab")["year"]
    assert figures.source_series(years) == (
        f"Källa: SKR, Kommunenkät 2019–{year}. Antalet svarande före 2023 är inte publicerat."
    )


def test_history_keeps_its_own_source(new_round):
    """A figure of the earlier round's data (kinds of help, asked only then) keeps that round's
    source line, respondents included, when a newer round exists."""
    year = _fixture_year()
    assert year not in set(data.report_figures().query("question == 'help_kinds'")["year"])
    assert figures.source_latest(2023) == (
        "Källa: SKR, Kommunenkät 2023 (244 av 290 kommuner svarade)."
    )
