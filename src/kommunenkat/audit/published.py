"""What the audited report publishes, looked up for one claim: a printed percentage of a figure
(:func:`lookup`), the number of municipalities behind it (:func:`n_for`, from the
reconstruction of the audited round), the Manski bounds of a national share among all the
country's municipalities (:func:`manski_percent`) and the counts a national share of any round
can stand for (:func:`level`, with the plausible band :func:`plausible_n` for a round whose
number of respondents is not published).

Everything here is the audited edition's (:func:`kommunenkat.audit.claims.audited_edition`),
so a later round added to ``data/`` does not move the audit onto the new numbers. The check
modules call these functions through this module (``published.n_for(...)``), so a test can
substitute one of them in one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import pandas as pd

from kommunenkat.audit import claims
from kommunenkat.core.labels import REGION_NATIONAL, SCALE_QUESTIONS
from kommunenkat.inference import analysis, reconstruct, stats
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


def plausible_n(year: int) -> range:
    """The respondents a round may have had: its published number, else the book's plausible
    band (:func:`kommunenkat.inference.analysis.plausible_n`: the nearest earlier known response
    rate and the audited round's, widened on each side by their difference; 232–250 for 2022).

    The band is anchored on the audited round, not on the latest round in ``data/``, so a later
    round does not move the audit; with the audited round as the latest the two are the same.
    """
    n = data.respondents(year)
    if n is not None:
        return range(n, n + 1)
    total = data.municipalities(year)
    r_before = analysis.rate_before(year)[1]
    r_audited = analysis.response_rate(claims.audited_edition())
    if r_audited is None:
        raise ValueError(f"rounds.csv: the audited round {claims.audited_edition()} has no rate")
    spread = abs(r_audited - r_before)
    low = math.ceil((min(r_before, r_audited) - spread) * total)
    high = math.floor((max(r_before, r_audited) + spread) * total)
    return range(low, high + 1)


@dataclass(frozen=True)
class Level:
    """A national share of one round as counts: every pair ``(n, k)`` – ``n`` municipalities
    answered the question, ``k`` of them gave the answer – that the published data allow, and
    ``N``, the country's municipalities that round. The audited round has one pair (the
    reconstruction of its county tables); a round whose respondents are unpublished has one pair
    for each ``n`` of :func:`plausible_n` and each ``k`` the report prints as its percentage."""

    year: int
    N: int
    options: tuple[tuple[int, int], ...]

    @property
    def known(self) -> bool:
        """True when the counts are known (one pair)."""
        return len(self.options) == 1

    def complement(self) -> Level:
        """The same round counted for everything but the answer (``n − k`` of ``n``)."""
        return Level(self.year, self.N, tuple((n, n - k) for n, k in self.options))


def level(question: str, category: str, year: int, percent: float, claim_id: str = "?") -> Level:
    """The counts behind a national share of ``question``/``category`` printed as ``percent``.

    The audited round: the reconstructed counts (summed over the county tables), which must
    reproduce ``percent``. An earlier round: every ``n`` of :func:`plausible_n` and every ``k``
    of ``n`` printed as ``percent`` under the report's rounding (halves up)."""
    big_n = int(data.municipalities(year))
    if int(year) == claims.audited_edition():
        rec = reconstruct.solve(year)
        k = sum(int(rec.chosen[r, question].aggregate(category)) for r in rec.regions)
        n = sum(int(rec.n(r, question)) for r in rec.regions)
        if reconstruct.printed_percent(k, n) != percent:
            raise ValueError(
                f"claim {claim_id}: {k} of {n} is printed as "
                f"{reconstruct.printed_percent(k, n)} %, not {percent} %"
            )
        return Level(int(year), big_n, ((n, k),))
    if not float(percent).is_integer():
        raise ValueError(f"claim {claim_id}: {percent} is not a printed whole percentage")
    options = tuple(
        (n, k) for n in plausible_n(int(year)) for k in reconstruct.counts_half_up(n, int(percent))
    )
    if not options:
        raise ValueError(f"claim {claim_id}: no count in the plausible band gives {percent} %")
    return Level(int(year), big_n, options)
