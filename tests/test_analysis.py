"""Chapter analyses reproduce the report's numbers; assumptions are the documented ones."""

import pandas as pd
import pytest

from kommunenkat import analysis, chapter, data, fmt
from kommunenkat.labels import REGIONS, SCALE, SCALE_QUESTIONS


def _rounds_to(share: float, printed: int) -> bool:
    return abs(100 * share - printed) <= 0.5 + 1e-9


@pytest.mark.parametrize("question", list(SCALE_QUESTIONS))
def test_2023_counts_reproduce_every_printed_national_percent(question):
    counts = analysis.counts_2023().loc[question]
    printed = data.county_table(question).loc["Riket"]
    for cat in [*SCALE, "high", "low"]:
        assert _rounds_to(counts[cat] / counts["n"], int(printed[cat])), (question, cat)


@pytest.mark.parametrize("question", list(SCALE_QUESTIONS))
def test_2023_counts_reproduce_the_printed_series(question):
    """Figures 4, 6, 8, 10: the 2023 point of each national series."""
    counts = analysis.counts_2023().loc[question]
    series = data.national_series(question)
    for _, row in series[series["year"] == 2023].iterrows():
        assert _rounds_to(counts[row["category"]] / counts["n"], int(row["percent"])), row.to_dict()


def test_changes_use_printed_2022_values_and_documented_n():
    ch = analysis.changes()
    assert len(ch) == 6
    assert (ch["n_2022_assumed"] == analysis.HEADLINE_N_2022).all()
    for _, r in ch.iterrows():
        assert _rounds_to(r["p_2022"], r["percent_2022_printed"])
        assert r["ci_low"] < r["diff"] < r["ci_high"]
    strategic = ch.set_index(["question", "category"]).loc[("strategic_collab", "high")]
    # 42 % (2022) → 149 of 243 (2023): the report's "från 42 till 61 procent".
    assert (strategic["k_2023"], strategic["n_2023"]) == (149, 243)
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
    counts = analysis.counts_2023()
    for q in SCALE_QUESTIONS:
        for cat in ("high", "low"):
            assert rw.loc[(q, cat), "unweighted"] == pytest.approx(
                counts.loc[q, cat] / counts.loc[q, "n"]
            )


def test_county_tests_are_reproducible():
    # the Monte Carlo part is seeded from the package: two runs give the same row
    a = analysis.county_test("strategic_collab", "high")
    analysis.county_test.cache_clear()
    analysis._county_positive.cache_clear()
    analysis._counts_2023.cache_clear()
    b = analysis.county_test("strategic_collab", "high")
    assert a == b


def test_robustness_words():
    assert chapter.robustness_words(True, True).endswith("varje tänkbart antal svarande 2022")
    assert "rimliga intervallet" in chapter.robustness_words(True, False)
    assert "men inte vid alla" in chapter.robustness_words(True, False)
    assert chapter.robustness_words(False, False).startswith("är inte")


def test_extreme_with_ties():
    s = pd.Series({"A": 0.0, "B": 0.0, "C": 0.5})
    assert chapter._extreme(s, 0.0) == f"{fmt.share_pct(0)} (2 län)"
    assert chapter._extreme(s, 0.5) == f"{fmt.share_pct(0.5)} (C)"


def test_no_verbal_effect_size_labels():
    # Cohen has no "very small"; the book reports pp, relative change and municipalities instead
    assert not hasattr(chapter, "effect_size_words")
    texts = chapter.change_texts("far_from_labour_market", "x")
    assert not any("mycket liten" in v for v in texts.values())
    assert texts["x-chg-high-nmun"] == "ungefär 16 fler av 244 svarande kommuner"
