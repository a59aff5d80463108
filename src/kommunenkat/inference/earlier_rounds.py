"""What is known of the earlier round a change is tested from.

A change test compares the latest round's reconstructed counts with an earlier round. How much of
that earlier round is known decides both the test and its words:

- :func:`n_known`: whether the earlier round's number of respondents is published
  (``data/rounds.csv``). Where it is not (2022 in the 2023 edition), the test assumes an ``n``,
  its verdict spans a plausible band of them and a sensitivity analysis every possible one
  (:func:`kommunenkat.inference.analysis.plausible_n`); where it is, the band is that one number
  and the sentences about the change make a plain statement. This is the one place the question
  "is the earlier n known?" is answered; the wording (:mod:`kommunenkat.text.chapter`,
  :mod:`kommunenkat.text.wording`) asks it here.
- :func:`counts_reconstructed`: whether the earlier round's county tables give its counts (its
  respondents published and its county tables printed, as for every round since 2023). Then the
  change is tested with those counts (:func:`counts`: e.g. strategic collaboration, positive, 2023:
  149 of the 243 municipalities that answered the question), exactly, with no count recovered
  from a rounded national percent and no assumed ``n`` (:func:`exact_sensitivity`).
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.core.labels import AGGREGATES, SCALE
from kommunenkat.inference import change_tests, reconstruct
from kommunenkat.inputs import data


def n_known(year: int) -> bool:
    """Is the number of respondents of round ``year`` published (``data/rounds.csv``)?

    False for a round whose respondents are unpublished (2022): a change from it assumes an
    ``n`` and is judged over a plausible band; True: the change from it has one ``n`` and a plain
    verdict.
    """
    return data.respondents(year) is not None


def counts_reconstructed(year: int, question: str | None = None) -> bool:
    """Are round ``year``'s counts reconstructed from its county tables (of ``question``, or of
    any question)? Requires its published respondents (the reconstruction's bound)."""
    return n_known(year) and year in data.county_years(question)


def counts(question: str, category: str, year: int) -> tuple[int, int] | None:
    """The reconstructed count of ``category`` (an answer category or an aggregate such as
    ``high``) among the municipalities that answered ``question`` in round ``year``, and their
    number, summed over the regions: ``(k, n)``. None when the round's counts are not
    reconstructed (:func:`counts_reconstructed`)."""
    if not counts_reconstructed(year, question):
        return None
    rec = reconstruct.solve(year)
    parts = AGGREGATES.get(category, [category])
    k = sum(rec.chosen[r, question].counts[SCALE.index(p)] for r in rec.regions for p in parts)
    n = sum(rec.n(r, question) for r in rec.regions)
    return k, n


def exact_sensitivity(k1: int, n1: int, k2: int, n2: int, alpha: float) -> pd.DataFrame:
    """The table :func:`kommunenkat.inference.change_tests.sensitivity` gives, for an earlier round
    whose counts are known: one row, its ``n1``, with ``k1_min = k1_max = k1``."""
    ch = change_tests.change(k1, n1, k2, n2, alpha)
    return pd.DataFrame(
        [
            {
                "n1": n1,
                "k1_min": k1,
                "k1_max": k1,
                "p_value_max": ch.p_value,
                "ci_low_min": ch.ci_low,
                "ci_high_max": ch.ci_high,
                "diff_min": ch.diff,
                "diff_max": ch.diff,
                "significant": bool(ch.p_value < alpha),
            }
        ]
    )
