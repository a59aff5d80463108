"""What the audited report publishes, looked up for one claim: a printed percentage of a figure
(:func:`lookup`), the number of municipalities behind it (:func:`n_for`, from the
reconstruction of the audited round) and the Manski bounds of a national share among all the
country's municipalities (:func:`manski_percent`).

Everything here is the audited edition's (:func:`kommunenkat.audit.claims.audited_edition`),
so a later round added to ``data/`` does not move the audit onto the new numbers. The check
modules call these functions through this module (``published.n_for(...)``), so a test can
substitute one of them in one place.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from kommunenkat.audit import claims
from kommunenkat.core.labels import REGION_NATIONAL, SCALE_QUESTIONS
from kommunenkat.inference import reconstruct, stats
from kommunenkat.inputs import data


def lookup(fig: int, cat: str, year: int, region: str, claim_id: str) -> pd.Series:
    """The row of ``data/report_figures.csv`` that the audited edition prints for figure ``fig``,
    category ``cat``, ``year`` and ``region``; ValueError naming the claim if there is none."""
    d = data.report_figures()
    hit = d[
        (d["figure"] == fig)
        & (d["category"] == cat)
        & (d["year"] == year)
        & (d["region"] == region)
        & (d["edition"] == claims.audited_edition())  # figure numbers are the audited edition's
    ]
    if hit.empty:
        raise ValueError(
            f"claim {claim_id}: no published value for figure {fig}, {cat}, {year}, {region}"
        )
    return hit.iloc[0]


@cache
def national_n() -> dict[str, int]:
    """The reconstructed number of answers per scale question, nationally, in the audited round
    (cached: clear with ``national_n.cache_clear()`` after moving the data)."""
    rec = reconstruct.solve(claims.audited_edition())
    return {r["question"]: int(r["n"]) for _, r in reconstruct.national_check(rec).iterrows()}


def n_for(question: str, year: int, region: str) -> int | None:
    """How many municipalities a published percentage of the audited edition's own round is
    based on (None: unknown).

    National rows of the scale questions: the reconstructed number of answers to the question;
    regions: the reconstructed n of the region (:mod:`reconstruct`); the help question: the
    survey's respondents (N=244 in the captions of figures 1–3). Earlier years: unknown.
    """
    audited = claims.audited_edition()
    if int(year) != audited:
        return None
    if question == "help_kinds":
        return int(data.fact("respondents")) if region == REGION_NATIONAL else None
    if question not in SCALE_QUESTIONS:
        return None
    if region == REGION_NATIONAL:
        return national_n()[question]
    return reconstruct.solve(audited).n(region, question)


def manski_percent(question: str, category: str, complement: bool = False) -> dict:
    """Manski's bounds (:func:`stats.manski_bounds`, as in the book's ``manski_bounds.csv``) of a
    national share of the audited edition's round among all the country's municipalities, in
    percent: ``lower``, ``upper``, ``k``, ``n`` (answered the question), ``N`` (all
    municipalities). ``complement`` gives the bounds of 100 minus the share. The counts are the
    audited round's reconstruction, so a later round does not move the audit.
    """
    year = claims.audited_edition()
    rec = reconstruct.solve(year)
    k = sum(int(rec.chosen[r, question].aggregate(category)) for r in rec.regions)
    n = sum(int(rec.n(r, question)) for r in rec.regions)
    b = stats.manski_bounds(k, n, int(data.municipalities(year)))
    lo, hi = 100 * b.lower, 100 * b.upper
    if complement:
        lo, hi = 100 - hi, 100 - lo
    return {"lower": lo, "upper": hi, "k": b.k, "n": b.n, "N": b.N}
