"""The audit of the report's claims (appendix *Granskning av rapportens påståenden*): every claim
of the register recomputed from the data, with a verdict and a one-sentence Swedish explanation.

:func:`audit` reads the register (:func:`kommunenkat.audit.claims.register`) and hands each claim
to :func:`evaluate`, which parses its check spec and sends it to the check of its kind:

- :mod:`~kommunenkat.audit.figure_checks`  ``value``, ``upper``, ``total``, ``parts``: printed
  shares of the figures and tables (:func:`data.report_figures`)
- :mod:`~kommunenkat.audit.county_checks`  ``top``, ``zero``: rankings in the county tables
  (:func:`data.county_table`)
- :mod:`~kommunenkat.audit.series_checks`  ``change``, ``causal``: the national series
  (:func:`data.national_series`)
- :mod:`~kommunenkat.audit.fact_checks`    ``fact``, ``share``, ``sum``: numbers only the text
  gives (:func:`data.report_facts`, :func:`data.counties`)
- ``none`` is answered here: the register's note says why the data cannot check the claim.

:func:`audit` is the derived file ``data/derived/claims_audit.csv`` (:data:`DERIVED`).
:func:`appendix_possibility` is the GRIM-type check of the appendix tables as the report's
text prints them (:func:`kommunenkat.audit.scan.table_rows`).
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.audit import claims, scan
from kommunenkat.audit.claims import COUNTY_FIGURES
from kommunenkat.audit.county_checks import check_top, check_zero
from kommunenkat.audit.fact_checks import check_fact, check_share, check_sum
from kommunenkat.audit.figure_checks import check_parts, check_total, check_upper, check_value
from kommunenkat.audit.series_checks import check_causal, check_change
from kommunenkat.audit.verdicts import UNCHECKABLE, Result
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, SCALE
from kommunenkat.inference import reconstruct
from kommunenkat.inputs import data

COLUMNS = ["id", "quote", "claimed", "recomputed", "verdict", "explanation"]


def evaluate(claim: pd.Series, register: pd.DataFrame | None = None) -> Result:
    """Recompute one claim of the register (a row with at least id, claimed, check, note).

    ``register``, when given, lets a check compare the claim with the register's other claims
    (``vs=`` arguments, the same quantity stated twice)."""
    c = claims.parse_check(claim["check"], claim["id"])
    note = claim.get("note")
    if c.kind == "none":
        if note is None or pd.isna(note) or not str(note).strip():
            raise ValueError(f"claim {claim['id']}: check 'none' needs a note saying why")
        return Result("–", UNCHECKABLE, str(note).strip())
    if c.kind == "causal":
        return check_causal(claim, c)
    items = claims.parse_claimed(claim["claimed"], claim["id"])
    if c.kind in ("value", "fact", "upper"):
        return {"value": check_value, "fact": check_fact, "upper": check_upper}[c.kind](
            claim, c, items, register
        )
    return {
        "top": check_top,
        "zero": check_zero,
        "change": check_change,
        "share": check_share,
        "sum": check_sum,
        "total": check_total,
        "parts": check_parts,
    }[c.kind](claim, c, items)


def audit() -> pd.DataFrame:
    """Every claim with its recomputed value, verdict and Swedish explanation (:data:`COLUMNS`)."""
    reg = claims.register()
    rows = []
    for _, claim in reg.iterrows():
        res = evaluate(claim, reg)
        rows.append(
            [
                claim["id"],
                claim["quote"],
                claim["claimed"],
                res.recomputed,
                res.verdict,
                res.explanation,
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def appendix_possibility() -> pd.DataFrame:
    """GRIM-type check of the appendix: can every printed row of figures 12–15 be true?

    Each row of the county tables, read from the report's text (:func:`scan.table_rows`), is
    compared with the transcription (``data/report_figures.csv``) and with the reconstructed
    counts (:mod:`reconstruct`): ``possible`` is True when the counts, rounded to whole percent
    with halves up as the report does, give exactly the eight printed numbers of the row.
    """
    rec_year = claims.audited_edition()
    rec = reconstruct.solve(rec_year)
    cats = [*SCALE, *AGGREGATES]
    rows = []
    table = scan.table_rows()
    for figure, label, values in zip(
        table["figure"], table["region"], table["values"], strict=True
    ):
        q = COUNTY_FIGURES[int(figure)]
        region = REGION_NATIONAL if label.startswith("Samtliga") else label
        printed = [int(v) for v in pd.Series(data.county_table(q, year=rec_year).loc[region, cats])]
        if region == REGION_NATIONAL:
            n = sum(rec.n(x, q) for x in rec.regions)
            counts = [sum(rec.chosen[x, q].aggregate(c) for x in rec.regions) for c in cats]
        else:
            n = rec.n(region, q)
            counts = [rec.chosen[region, q].aggregate(c) for c in cats]
        rows.append(
            {
                "figure": int(figure),
                "region": region,
                "n": n,
                "matches_transcription": list(values) == printed,
                "possible": [reconstruct.printed_percent(k, n) for k in counts] == list(values),
            }
        )
    return pd.DataFrame(rows)


DERIVED = {"claims_audit.csv": audit}
