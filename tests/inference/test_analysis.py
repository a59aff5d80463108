"""Chapter analyses reproduce the report's numbers; assumptions are the documented ones."""

import pandas as pd
import pytest

from kommunenkat.core import fmt
from kommunenkat.core.labels import REGIONS, SCALE, SCALE_QUESTIONS
from kommunenkat.inference import analysis
from kommunenkat.inputs import data
from kommunenkat.text import chapter


def _rounds_to(share: float, printed: int) -> bool:
    return abs(100 * share - printed) <= 0.5 + 1e-9


@pytest.mark.parametrize("question", list(SCALE_QUESTIONS))
def test_latest_counts_reproduce_every_printed_national_percent(question):
    counts = analysis.latest_counts().loc[question]
    printed = data.county_table(question).loc["Riket"]
    for cat in [*SCALE, "high", "low"]:
        assert _rounds_to(counts[cat] / counts["n"], int(printed[cat])), (question, cat)


@pytest.mark.parametrize("question", list(SCALE_QUESTIONS))
def test_latest_counts_reproduce_the_printed_series(question):
    """Figures 4, 6, 8, 10: the latest point of each national series (2023 today)."""
    counts = analysis.latest_counts().loc[question]
    series = data.national_series(question)
    for _, row in series[series["year"] == analysis.latest_year()].iterrows():
        assert _rounds_to(counts[row["category"]] / counts["n"], int(row["percent"])), row.to_dict()


def test_changes_use_printed_2022_values_and_documented_n():
    ch = analysis.changes()
    assert len(ch) == 6
    assert (ch["year_from"] == 2022).all() and (ch["year_to"] == 2023).all()
    # 82 % of 290 (SKR's 2021 response rate, the nearest earlier one known) = 238
    assert (ch["n_from_assumed"] == 238).all()
    assert analysis.assumed_n(2022) == 238
    for _, r in ch.iterrows():
        assert _rounds_to(r["p_from"], r["percent_from_printed"])
        assert r["ci_low"] < r["diff"] < r["ci_high"]
    strategic = ch.set_index(["question", "category"]).loc[("strategic_collab", "high")]
    # 42 % (2022) → 149 of 243 (2023): the report's "från 42 till 61 procent".
    assert (strategic["k_to"], strategic["n_to"]) == (149, 243)
    assert strategic["significant_whole_range"]


def test_county_shares_reproduce_the_printed_county_tables():
    for q in SCALE_QUESTIONS:
        printed = data.county_table(q)
        for cat in ("high", "low"):
            cp = analysis.county_positive(q, cat)
            for region in REGIONS:
                assert _rounds_to(cp.loc[region, "share"], int(printed.loc[region, cat])), (
                    q,
                    cat,
                    region,
                )


def test_reweighted_unweighted_share_is_the_national_share():
    rw = analysis.reweighted().set_index(["question", "category"])
    counts = analysis.latest_counts()
    for q in SCALE_QUESTIONS:
        for cat in ("high", "low"):
            assert rw.loc[(q, cat), "unweighted"] == pytest.approx(
                counts.loc[q, cat] / counts.loc[q, "n"]
            )


def test_county_tests_are_reproducible():
    # the Monte Carlo part is seeded from the package: two runs give the same row
    a = analysis.county_test("strategic_collab", "high")
    analysis.county_test.cache_clear()
    analysis.clear_caches()
    b = analysis.county_test("strategic_collab", "high")
    assert a == b


def test_robustness_words():
    assert chapter.robustness_words(True, True, 2022).endswith("varje tänkbart antal svarande 2022")
    assert "rimliga intervallet" in chapter.robustness_words(True, False, 2022)
    assert "men inte vid alla" in chapter.robustness_words(True, False, 2022)
    assert chapter.robustness_words(False, False, 2022).startswith("är inte")
    # 2023 publishes its respondents: a plain statement, no band or range of n
    assert chapter.robustness_words(False, False, 2023).startswith(
        "är inte statistiskt säkerställd,"
    )


def test_extreme_with_ties():
    s = pd.Series({"A": 0.0, "B": 0.0, "C": 0.5})
    assert chapter.extreme(s, 0.0) == f"{fmt.share_pct(0)} (2 län)"
    assert chapter.extreme(s, 0.5) == f"{fmt.share_pct(0.5)} (C)"


def test_no_verbal_effect_size_labels():
    # Cohen has no "very small"; the book reports pp, relative change and municipalities instead
    assert not hasattr(chapter, "effect_size_words")
    texts = chapter.change_texts("far_from_labour_market", "x")
    assert not any("mycket liten" in v for v in texts.values())
    assert texts["x-chg-high-nmun"] == "ungefär 16 fler av 244 svarande kommuner"
