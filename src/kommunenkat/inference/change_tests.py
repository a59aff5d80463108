"""Tests of a change of a share between two rounds, and of how the rounding of a printed
percentage and an unpublished number of respondents bear on them (statsmodels/scipy).

:func:`change` tests ``k1/n1`` (year 1) against ``k2/n2`` (year 2). An earlier round is often
known only by a printed, rounded percentage: :func:`rounding_bounds` gives every count of ``n``
that prints as that percentage, :func:`change_from_percent` tests the count that rounds to it, and
:func:`sensitivity` and :func:`smallest_significant_n` repeat the test over every consistent count
and a range of plausible numbers of respondents. Arguments are checked with :mod:`arguments`.

Caveats the text should carry:

- :func:`change` treats the years as independent samples (paired answers are not published).
  Positive within-municipality correlation makes it too wide (pairing would shrink the variance),
  but changes in who answers and shocks shared by a county's municipalities push the other way;
  the net direction is unknown, so the test is not "conservative" without qualification.
- The 2022 count is not published, only a rounded percent of an unpublished number of respondents:
  :func:`sensitivity` shows how much that matters. Printed percentages are rounded half up (the
  reconstruction of the county tables shows it), see :func:`rounding_bounds`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import pandas as pd
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_effectsize,
    proportions_ztest,
)

from kommunenkat.inference.arguments import as_int, check_alpha, check_count, check_percent
from kommunenkat.inputs import data

__all__ = [
    "ROUNDING_RULES",
    "ProportionChange",
    "change",
    "change_from_percent",
    "rounding_bounds",
    "sensitivity",
    "smallest_significant_n",
]


@dataclass(frozen=True)
class ProportionChange:
    """Change of a share from year 1 (2022) to year 2 (2023); ``diff = p2 - p1``."""

    k1: int
    n1: int
    k2: int
    n2: int
    p1: float
    p2: float
    diff: float
    ci_low: float
    ci_high: float
    z: float
    p_value: float
    cohens_h: float
    alpha: float

    @property
    def significant(self) -> bool:
        """``p_value < alpha`` (the pooled z test)."""
        return self.p_value < self.alpha


def change(k1: int, n1: int, k2: int, n2: int, alpha: float = 0.05) -> ProportionChange:
    """Change of a proportion from ``k1/n1`` (year 1) to ``k2/n2`` (year 2).

    - ``ci_low``, ``ci_high``: Newcombe's hybrid score interval for ``p2 - p1`` (Newcombe 1998,
      method 10), ``statsmodels.stats.proportion.confint_proportions_2indep(method="newcomb")``
      with year 2 as the first sample so that the difference is ``p2 - p1``.
    - ``z``, ``p_value``: two-sided two-proportion z test with the *pooled* variance under
      H0: p1 = p2, ``statsmodels.stats.proportion.proportions_ztest`` (identical to Pearson's
      chi-square test of the 2×2 table without continuity correction: ``z² = chi²``).
      ``z > 0`` means an increase. If both years are 0 % or both 100 % the pooled variance is
      zero; then ``z = 0`` and ``p_value = 1`` (the observed shares are identical).
    - ``cohens_h``: ``2·asin(√p2) − 2·asin(√p1)``,
      ``statsmodels.stats.proportion.proportion_effectsize(p2, p1)``.

    The two years are treated as independent samples (see the module docstring for the
    directions in which pairing and composition changes can push the result).
    """
    k1, n1 = check_count("k1", k1, "n1", n1)
    k2, n2 = check_count("k2", k2, "n2", n2)
    return _change(k1, n1, k2, n2, check_alpha(alpha))


@cache
def _change(k1: int, n1: int, k2: int, n2: int, alpha: float) -> ProportionChange:
    # Cached (the result is immutable): the sensitivity analyses test the same tables many
    # times (the derived files ask 7 294 times for 2 557 different tables).
    p1, p2 = k1 / n1, k2 / n2
    low, high = confint_proportions_2indep(
        count1=k2, nobs1=n2, count2=k1, nobs2=n1, method="newcomb", compare="diff", alpha=alpha
    )
    if k1 + k2 in (0, n1 + n2):
        z, p_value = 0.0, 1.0
    else:
        z, p_value = proportions_ztest(count=[k2, k1], nobs=[n2, n1], value=0)
    return ProportionChange(
        k1=k1,
        n1=n1,
        k2=k2,
        n2=n2,
        p1=float(p1),
        p2=float(p2),
        diff=float(p2 - p1),
        ci_low=float(low),
        ci_high=float(high),
        z=float(z),
        p_value=float(p_value),
        cohens_h=float(proportion_effectsize(p2, p1)),
        alpha=alpha,
    )


#: How the report rounds: exact halves go up (every half the reconstruction of the county tables
#: met was printed rounded up). ``"symmetric"`` accepts a half either way (robustness variant).
ROUNDING_RULES = ("half_up", "symmetric")


def _check_rule(rule: str) -> str:
    if rule not in ROUNDING_RULES:
        raise ValueError(f"rule must be one of {ROUNDING_RULES}, got rule={rule!r}")
    return rule


def _bounds_or_none(p: Fraction, n: int, rule: str = "half_up") -> tuple[int, int] | None:
    # symmetric: |100k/n - p| <= 1/2  <=>  (p - 1/2)·n/100 <= k <= (p + 1/2)·n/100
    # half up:   p - 1/2 <= 100k/n < p + 1/2 (a value at p + 1/2 would be printed p + 1)
    k_min = max(0, math.ceil((p - Fraction(1, 2)) * n / 100))
    upper = (p + Fraction(1, 2)) * n / 100
    if rule == "half_up" and p < 100:
        k_max = min(n, math.ceil(upper) - 1)
    else:
        k_max = min(n, math.floor(upper))
    return (k_min, k_max) if k_min <= k_max else None


def rounding_bounds(p_percent: float, n: int, rule: str = "half_up") -> tuple[int, int]:
    """The smallest and largest integer ``k`` of ``n`` that the report prints as ``p_percent``.

    ``rule="half_up"`` (the report's rule, see :data:`ROUNDING_RULES`): ``100·k/n`` rounded half
    up equals ``p_percent``, i.e. ``p − 0.5 ≤ 100·k/n < p + 0.5``; 30/240 = 12.5 % is printed 13,
    never 12. ``rule="symmetric"``: ``|100·k/n − p| ≤ 0.5`` (a half either way; a robustness
    variant). Every ``k`` in between is consistent as well. Exact rational arithmetic. Raises
    :class:`ValueError` if no ``k`` of ``n`` gives ``p_percent``: then ``n`` is ruled out.
    """
    p = check_percent("p_percent", p_percent)
    n = as_int("n", n)
    if n <= 0:
        raise ValueError(f"n must be positive, got n={n}")
    bounds = _bounds_or_none(p, n, _check_rule(rule))
    if bounds is None:
        raise ValueError(
            f"no count k of n={n} rounds to {p_percent} % (rule {rule!r}); n={n} is "
            "inconsistent with the printed percent"
        )
    return bounds


def _count_from_percent(p_percent: float, n: int) -> int:
    """``round(p_percent/100 · n)`` in exact arithmetic, halves rounded up, kept consistent."""
    k_min, k_max = rounding_bounds(p_percent, n)  # validates, and raises if no k exists
    k = math.floor(check_percent("p_percent", p_percent) * n / 100 + Fraction(1, 2))
    return min(max(k, k_min), k_max)


def change_from_percent(
    p1_percent: float, n1: int, k2: int, n2: int, alpha: float = 0.05
) -> ProportionChange:
    """:func:`change` with the year-1 count reconstructed as ``round(p1_percent/100 · n1)``.

    The returned ``k1`` is that reconstruction; use :func:`rounding_bounds` or
    :func:`sensitivity` for the other counts consistent with the printed percent.
    """
    k1 = _count_from_percent(p1_percent, n1)
    return change(k1, n1, k2, n2, alpha)


def sensitivity(
    p1_percent: float,
    k2: int,
    n2: int,
    n1_values: Iterable[int],
    alpha: float = 0.05,
    rule: str = "half_up",
) -> pd.DataFrame:
    """The change test over plausible year-1 sample sizes and the rounding of the year-1 percent.

    One row per ``n1`` in ``n1_values`` at which some count rounds to ``p1_percent``; values of
    ``n1`` that the printed percent rules out are left out. For each ``n1`` every consistent
    ``k1`` (``k1_min`` … ``k1_max``, see :func:`rounding_bounds` with ``rule``) is tested with
    :func:`change`,
    and the row reports the least favourable of them:

    - ``p_value_max``: the largest p-value (in practice at one of the two extremes),
    - ``ci_low_min``, ``ci_high_max``: the union of the Newcombe intervals of ``p2 - p1``,
    - ``diff_min``, ``diff_max``: the range of the point estimate,
    - ``significant``: ``p_value_max < alpha``, i.e. significant whatever the true ``k1``.
    """
    p1 = check_percent("p1_percent", p1_percent)
    check_count("k2", k2, "n2", n2)
    alpha = check_alpha(alpha)
    rule = _check_rule(rule)
    rows = []
    for value in n1_values:
        n1 = as_int("n1_values", value)
        if n1 <= 0:
            raise ValueError(f"n1_values must be positive, got {n1}")
        bounds = _bounds_or_none(p1, n1, rule)
        if bounds is None:
            continue
        results = [change(k1, n1, k2, n2, alpha) for k1 in range(bounds[0], bounds[1] + 1)]
        p_max = max(r.p_value for r in results)
        rows.append(
            {
                "n1": n1,
                "k1_min": results[0].k1,
                "k1_max": results[-1].k1,
                "p_value_max": p_max,
                "ci_low_min": min(r.ci_low for r in results),
                "ci_high_max": max(r.ci_high for r in results),
                "diff_min": min(r.diff for r in results),
                "diff_max": max(r.diff for r in results),
                "significant": bool(p_max < alpha),
            }
        )
    columns = [
        "n1", "k1_min", "k1_max", "p_value_max", "ci_low_min", "ci_high_max",
        "diff_min", "diff_max", "significant",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def smallest_significant_n(
    p1_percent: float,
    k2: int,
    n2: int,
    alpha: float = 0.05,
    n_range: Iterable[int] = range(10, 291),
    rule: str = "half_up",
) -> int | None:
    """The smallest year-1 size from which on, for every larger size, the change is significant.

    Definition: the smallest ``n*`` in ``n_range`` such that for *every* ``n1`` in ``n_range``
    with ``n1 ≥ n*`` the change is significant at level ``alpha`` for every year-1 count that
    rounds to ``p1_percent`` (the ``significant`` column of :func:`sensitivity`). Sizes at which
    no count rounds to ``p1_percent`` are impossible and ignored; ``n*`` itself is always a
    possible size. It is *not* "the smallest n at which the change is still significant": a
    smaller n can be significant while some larger one is not. ``None`` if the change is not
    significant at the largest possible size in the range (or no size in the range is possible).
    """
    table = sensitivity(p1_percent, k2, n2, sorted(set(n_range)), alpha, rule)
    answer = None
    for n1, significant in zip(
        reversed(table["n1"].tolist()), reversed(table["significant"].tolist()), strict=True
    ):
        if not significant:
            break
        answer = int(n1)
    return answer


def sensitivity_groups(sens: pd.DataFrame, alpha: float) -> dict[str, list[tuple[str, str]]]:
    """The lines of :func:`sensitivity_chart` by where they lie against ``alpha`` over the whole
    range of assumed respondents drawn: ``"under"`` (p < alpha at every n), ``"crosses"`` (below
    at some n, not at others) and ``"over"`` (p ≥ alpha at every n). Each as (question,
    category) in the order of ``sens``; n with no p-value are left out."""
    prev = data.previous_comparable_round(data.latest_round())
    if "year_from" in sens:
        sens = sens[sens["year_from"] == prev]
    groups: dict[str, list[tuple[str, str]]] = {"under": [], "crosses": [], "over": []}
    for key, d in sens.groupby(["question", "category"], sort=False):
        below = (d["p_value_max"].dropna() < alpha).to_numpy()
        if len(below) == 0:
            continue
        where = "under" if below.all() else "over" if not below.any() else "crosses"
        groups[where].append((str(key[0]), str(key[1])))
    return groups
