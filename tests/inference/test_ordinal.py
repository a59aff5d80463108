"""Ordinal county tests against hand-computed cases and a second implementation."""

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from kommunenkat.core.labels import SCALE_QUESTIONS
from kommunenkat.inference import analysis, ordinal

# Two groups of three answers on a three-level scale: A = (1, 1, 2), B = (2, 3, 3).
# By hand: midranks 1.5, 3.5, 5.5; rank sums 6.5 and 14.5; uncorrected H = 12/(6·7)·(6.5² + 14.5²)/3
# − 21 = 3.047619; tie correction 1 − 3·(2³ − 2)/(6³ − 6) = 0.914286; H = 10/3. Exactly: of the
# C(6, 3) = 20 equally likely ways to choose group A's three answers, 4 give a rank sum as far from
# its mean 10.5 (6.5 or 14.5: both "1"s with one of the two "2"s, or both "3"s with one "2"), so
# the permutation p-value is 4/20 = 0.2.
SMALL = [[2, 1, 0], [0, 1, 2]]


def test_kruskal_h_of_the_hand_computed_case():
    t = ordinal.ordinal_test(SMALL, n_resamples=2000)
    assert t.statistic == pytest.approx(10 / 3, rel=1e-12)
    assert t.dof == 1
    assert t.p_asymptotic == pytest.approx(sps.chi2.sf(10 / 3, 1), rel=1e-12)


def test_permutation_p_of_the_hand_computed_case_is_near_the_exact_value():
    t = ordinal.ordinal_test(SMALL, n_resamples=20000)
    # Monte Carlo with B = 20 000 around the exact 0.2: 5 standard errors ≈ 0.014.
    assert abs(t.p_permutation - 0.2) < 5 * math.sqrt(0.2 * 0.8 / 20000)


def test_exact_enumeration_confirms_the_hand_computed_permutation_p():
    values = [1, 1, 2, 2, 3, 3]
    h_obs = sps.kruskal([1, 1, 2], [2, 3, 3]).statistic
    hits = 0
    combos = list(itertools.combinations(range(6), 3))
    for a in combos:
        ga = [values[i] for i in a]
        gb = [values[i] for i in range(6) if i not in a]
        hits += sps.kruskal(ga, gb).statistic >= h_obs - 1e-12
    assert hits / len(combos) == pytest.approx(0.2)


@pytest.mark.parametrize("question", list(SCALE_QUESTIONS))
def test_kruskal_h_equals_scipy_on_one_value_per_municipality(question):
    table = ordinal.county_levels(question)[ordinal.ORDER].to_numpy()
    groups = [np.repeat(np.arange(1, 6), row) for row in table]
    expected = sps.kruskal(*groups)
    t = ordinal.ordinal_test(table, n_resamples=10)
    assert t.statistic == pytest.approx(expected.statistic, rel=1e-10)
    assert t.p_asymptotic == pytest.approx(expected.pvalue, rel=1e-8)


def test_split_chi2_equals_scipy_chi2_contingency():
    table = ordinal.county_levels("strategic_collab")[ordinal.ORDER].to_numpy()
    t = ordinal.ordinal_test(table, n_resamples=10)
    for j, stat in enumerate(t.split_chi2):
        two = np.column_stack([table[:, : j + 1].sum(1), table[:, j + 1 :].sum(1)])
        assert stat == pytest.approx(sps.chi2_contingency(two, correction=False).statistic)


def test_random_tables_keep_both_margins_and_are_seeded():
    table = np.array(SMALL)
    a = ordinal.random_tables(table, 50, seed=1)
    b = ordinal.random_tables(table, 50, seed=1)
    assert (a == b).all()
    assert (a.sum(axis=2) == table.sum(axis=1)).all()
    assert (a.sum(axis=1) == table.sum(axis=0)).all()


def test_mc_pvalue_counts_the_observed_table():
    assert ordinal.mc_pvalue(5.0, np.array([1.0, 5.0, 6.0, 2.0])) == pytest.approx(3 / 5)
    assert ordinal.mc_pvalue(10.0, np.zeros(99)) == pytest.approx(1 / 100)


def test_proportional_odds_matches_statsmodels_ordered_model():
    """Second implementation: statsmodels OrderedModel on one row per municipality."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    table = np.array([[3, 4, 2, 1], [1, 2, 4, 3], [2, 2, 2, 2]])
    po = ordinal.proportional_odds(table)
    y = np.concatenate([np.repeat(np.arange(4), row) for row in table])
    g = np.concatenate([np.full(row.sum(), i) for i, row in enumerate(table)])
    x = pd.DataFrame({"g1": (g == 1) * 1.0, "g2": (g == 2) * 1.0})
    ref = OrderedModel(y, x, distr="logit").fit(method="bfgs", disp=False, maxiter=2000)
    assert po.llf == pytest.approx(ref.llf, abs=1e-5)
    assert po.effects[1:] == pytest.approx(list(ref.params[:2]), abs=1e-3)
    thresholds = ref.model.transform_threshold_params(ref.params)[1:-1]
    assert po.thresholds == pytest.approx(list(thresholds), abs=1e-3)


def test_proportional_odds_null_and_saturated_in_closed_form():
    # Identical rows: the region effects are 0, the LR statistic is 0 and the model is saturated.
    po = ordinal.proportional_odds([[1, 2, 3], [1, 2, 3]])
    assert po.lr == pytest.approx(0, abs=1e-6)
    assert po.deviance == pytest.approx(0, abs=1e-6)
    assert po.llf_null == pytest.approx(
        2 * (1 * math.log(1 / 6) + 2 * math.log(2 / 6) + 3 * math.log(3 / 6))
    )
    assert po.deviance_dof == 1 and po.lr_dof == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ([[1, 2, 3]], "at least 2 rows"),
        ([[1, -1], [2, 2]], "non-negative integer"),
        ([[0, 0], [2, 2]], "row without answers"),
        ([[0, 3], [0, 2]], "one category"),
    ],
)
def test_bad_tables_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        ordinal.ordinal_test(bad)


def test_the_book_ordinal_table_sits_beside_the_dichotomised_tests():
    t = ordinal.ordinal_tests().set_index("question")
    ct = analysis.county_tests().set_index(["question", "category"])
    for q in SCALE_QUESTIONS:
        assert t.loc[q, "p_high_dichotomised"] == ct.loc[(q, "high"), "p_monte_carlo"]
        levels = ordinal.county_levels(q)
        assert t.loc[q, "n_scale"] + t.loc[q, "k_dont_know"] == levels.to_numpy().sum()
    # The recomputation: the ordered test finds the strategic-collaboration differences
    # much more clearly than either dichotomised test.
    s = t.loc["strategic_collab"]
    assert s["p_permutation"] < s["p_high_dichotomised"] / 3
    assert s["p_permutation"] < s["p_low_dichotomised"] / 3
    assert (t["p_permutation_holm"] >= t["p_permutation"]).all()


def test_distribution_shares_sum_to_one_and_balance_is_high_minus_low():
    d = ordinal.distribution("operative_collab")
    shares = d[[*ordinal.ORDER, "dont_know"]].sum(axis=1)
    assert np.allclose(shares, 1)
    hi = analysis.county_positive("operative_collab", "high")["share"]
    lo = analysis.county_positive("operative_collab", "low")["share"]
    assert np.allclose(d.loc[hi.index, "balance"], hi - lo)
