"""The county sentences: ties, empty lists, resampling floors and Holm-adjusted verdicts."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

from kommunenkat.inference import analysis, ordinal
from kommunenkat.text import county_texts as ct

# --------------------------------------------------------------------------- ties


def test_extremes_include_every_region_tied_at_the_third_place():
    raw = pd.Series({"A": 0.5, "B": 0.4, "C": 1 / 3, "D": 2 / 6, "E": 0.2, "F": 0.0, "G": 0.0,
                     "H": 0.0, "I": 0.0, "J": 0.1})  # fmt: skip
    top, bottom = ct.extremes(raw)
    assert top == ["A", "B", "C", "D"]  # C and D share third place (1/3 = 2/6)
    assert set(bottom) == {"F", "G", "H", "I"}  # four regions at 0 %


def test_extremes_without_ties_are_three_each():
    raw = pd.Series(np.linspace(0, 1, 8), index=list("abcdefgh"))
    top, bottom = ct.extremes(raw)
    assert top == ["h", "g", "f"]
    assert bottom == ["c", "b", "a"]


def test_extremes_refuse_too_few_regions():
    with pytest.raises(ValueError, match="at least 3"):
        ct.extremes(pd.Series([0.1, 0.2]))


def _est(raw, small):
    return pd.DataFrame(
        {"raw": raw, "mainly_small_n": small}, index=[f"L{i}" for i in range(len(raw))]
    )


def test_shrinkage_sentence_names_all_tied_extremes():
    raw = [0.0, 0.0, 0.0, 0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.6]
    est = _est(raw, [True] * 10)
    text = ct.shrinkage_sentence(est)
    assert text.startswith("I 10 av 10 län tas mer än hälften")
    # the four regions at 0 % (tied for the lowest three) and L7–L9 at the top
    for r in ["L0", "L1", "L2", "L3", "L7", "L8", "L9"]:
        assert r in text
    assert "(7 län, eftersom några delar plats)" in text


def test_shrinkage_sentence_drops_the_clause_when_no_extreme_is_small():
    est = _est(
        [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], [False, False, False, True, False, False, False]
    )
    text = ct.shrinkage_sentence(est)
    assert text == "I 1 av 7 län tas mer än hälften av avvikelsen från riket tillbaka."


def test_shrinkage_sentence_with_no_small_region():
    est = _est([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [False] * 6)
    assert ct.shrinkage_sentence(est) == (
        "I inget av de 6 länen tas mer än hälften av avvikelsen från riket tillbaka."
    )


def test_tied_first_returns_every_row_tied_with_the_first():
    d = pd.DataFrame(
        {"balance": [0.0, 0.0, -0.2], "mean_score": [2.0, 2.0, 1.5]}, index=list("abc")
    )
    assert ct.tied_first(d, ["balance", "mean_score"]) == ["a", "b"]
    assert ct.tied_first(d.iloc[1:], ["balance", "mean_score"]) == ["b"]


# --------------------------------------------------------------------------- funnel sentence


def _fun(positions):
    return pd.DataFrame({"position": positions}, index=[f"L{i}" for i in range(len(positions))])


def test_funnel_sentence_with_no_region_outside():
    assert ct.funnel_sentence(_fun(["inom"] * 5)) == "Inget län ligger utanför 95 %-gränserna."


def test_funnel_sentence_names_both_sides_and_the_998_limits():
    text = ct.funnel_sentence(_fun(["inom", "över 99,8 %", "över 95 %", "under 95 %"]))
    assert text == (
        "Över den övre 95 %-gränsen ligger L1 och L2, och under den undre ligger L3. "
        "L1 ligger också utanför 99,8 %-gränserna."
    )


def test_funnel_sentence_only_below():
    text = ct.funnel_sentence(_fun(["inom", "under 95 %"]))
    assert text == (
        "Under den undre 95 %-gränsen ligger L1. Inget län ligger utanför 99,8 %-gränserna."
    )


# --------------------------------------------------------------------------- resampling floors


def test_mc_floor_and_at_floor():
    assert ct.mc_floor(20000) == pytest.approx(4.99975e-05)
    assert ct.at_floor(1 / 20001, 20000)
    assert not ct.at_floor(2 / 20001, 20000)
    assert not ct.at_floor(1e-9, None)  # exact p-values have no floor
    with pytest.raises(ValueError, match="positive"):
        ct.mc_floor(0)


@pytest.mark.parametrize(
    ("a", "af", "b", "bf", "expected"),
    [
        (0.01, False, 0.02, False, "<"),
        (0.02, False, 0.01, False, ">"),
        (0.01, False, 0.01, False, "="),
        (5e-5, True, 1e-5, True, None),  # both at floors: unknown
        (1e-5, True, 0.03, False, "<"),  # a floored value is known to be below a real p
        (0.03, False, 1e-5, True, ">"),
        (1e-5, False, 5e-5, True, None),  # below a floored value: unknown
    ],
)
def test_compare_p(a, af, b, bf, expected):
    assert ct.compare_p(a, af, b, bf) == expected


def test_operative_whole_scale_verdict_gives_no_order_at_the_floors():
    # The review's case: all three p-values sit at their resampling floors.
    r = ordinal.ordinal_tests(["operative_collab"]).iloc[0]
    assert ct.at_floor(r["p_permutation"], r["n_resamples"])
    verdict = ct.ordinal_texts("operative_collab", "x")["x-ord-verdict"]
    assert "kan inte rangordnas" in verdict
    assert "svagare" not in verdict and "tydligare" not in verdict


def test_verdict_orders_when_no_value_is_at_a_floor():
    assert "tydligare" in ct.ordinal_verdict((0.01, False), (0.02, False), (0.03, False), 0.001)
    assert "svagare" in ct.ordinal_verdict((0.05, False), (0.02, False), (0.03, False), 0.001)
    assert "mellan" in ct.ordinal_verdict((0.025, False), (0.02, False), (0.03, False), 0.001)


# --------------------------------------------------------------------------- Holm


def test_homogeneity_counts_use_holm_over_the_eight_tests():
    t = analysis.county_tests()
    holm = multipletests(t["p_value"], method="holm")[1]
    counts = ct.homogeneity_counts()
    assert counts["lan-test"] == str(len(t)) == "8"
    assert counts["lan-test-under-holm"] == str(int((holm < 0.05).sum()))
    assert counts["lan-test-under"] == str(int((t["p_value"] < 0.05).sum()))
    assert int(counts["lan-test-under-holm"]) < int(counts["lan-test-under"])


def test_ordinal_differences_follow_the_holm_verdicts():
    """Recompute both families with statsmodels and compare with the sentence."""
    o = ordinal.ordinal_tests()
    whole = dict(
        zip(o["question"], multipletests(o["p_permutation"], method="holm")[1], strict=True)
    )
    t = analysis.county_tests()
    share = pd.Series(multipletests(t["p_value"], method="holm")[1]).groupby(t["question"]).min()
    text = ct.ordinal_differences()["lan-ord-differ-text"]
    for _, r in o.iterrows():
        differs = (whole[r["question"]] < 0.05) != (share[r["question"]] < 0.05)
        assert (r["label"].lower() in text) == differs, r["question"]
    # The employer question no longer differs once both families are adjusted (review item 8).
    assert "stöd till arbetsgivare" not in text


def _maxes(p, p_holm):
    n = len(p)
    return pd.DataFrame(
        {"regions": [f"L{i}" for i in range(n)], "label": [f"Fråga {i}" for i in range(n)],
         "p_fixed_margins": p, "p_holm": p_holm},
        index=[f"C{i}" for i in range(n)],
    )  # fmt: skip


def test_chance_sentence_unadjusted_only():
    text = ct.chance_sentence(_maxes([0.013, 0.2, 0.4], [0.12, 0.6, 0.6]), 9)
    assert text.startswith("Efter Holm-justering för att 9 påståenden prövas samtidigt är inget")
    nb = "\u00a0"
    expected = (
        f"Utan justering gäller det ett: L0 (fråga 0, p{nb}={nb}0,013, "
        f"p{nb}={nb}0,120 efter justering)."
    )
    assert expected in text


def test_chance_sentence_with_no_claim_below_alpha():
    text = ct.chance_sentence(_maxes([0.3, 0.2], [0.6, 0.6]), 2)
    assert "inget av rapportens 2 påståenden" in text
    assert text.endswith("Inget av dem gör det ens utan justering.")


def test_chance_sentence_with_adjusted_claims():
    text = ct.chance_sentence(_maxes([0.001, 0.02, 0.4], [0.003, 0.04, 0.4]), 3)
    assert "samtidigt är 2 av rapportens 3 påståenden om län med högst andel mer extrema" in text
    assert "Utan justering" not in text


def test_book_chance_sentence_reports_the_holm_verdict():
    c = ct.claims_texts()
    assert c["lan-slump-nsig"] == "0"
    assert c["lan-slump-nsig-raw"] == "1"
    assert "Västernorrland" in c["lan-slump-sig"] and "efter justering" in c["lan-slump-sig"]


def test_operative_sentence_ends_at_the_common_floor_bound():
    """Review item 8: with all three p-values at their floors the sentence ends after the
    common bound and sets nothing against it; elsewhere the three values are given."""
    s = ct.ordinal_texts("operative_collab", "x")["x-ord-sentence"]
    assert s.endswith("(alla tre p\xa0<\xa00,001).")
    assert " mot " not in s and s.count("0,001") == 1
    other = ct.ordinal_texts("strategic_collab", "x")["x-ord-sentence"]
    assert "permutationstest" in other and " mot " in other
