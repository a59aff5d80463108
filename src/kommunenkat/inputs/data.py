"""Loading the project's data files as typed pandas tables.

Loaders do not validate; ``make check-data`` (:mod:`kommunenkat.inputs.validate`) runs first in
every build and test, and the notebooks call :func:`require_valid` once so that a notebook run on
its own cannot silently use invalid data.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from kommunenkat.core import paths
from kommunenkat.core.cells import as_float, as_int
from kommunenkat.core.labels import AGGREGATES, REGIONS, SCALE


def _read(path: Path, **kwargs: Any) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8", keep_default_na=False, na_values=[""], **kwargs)


def report_figures() -> pd.DataFrame:
    """All published percentages, one row per printed number."""
    return _read(paths.REPORT_FIGURES)


def counties() -> pd.DataFrame:
    # Read as text: the two-digit code keeps its leading zero ("01", not 1).
    return _read(paths.COUNTIES, dtype={"county_code": str})


def region_municipalities() -> pd.Series:
    """Number of municipalities per report region (Gotland merged with Stockholm), in book order."""
    s = counties().groupby("region")["municipalities"].sum()
    return s.reindex(REGIONS)


def report_facts() -> pd.DataFrame:
    return _read(paths.REPORT_FACTS).set_index("fact")


def fact(name: str) -> float:
    """A single exact fact of the report (e.g. ``respondents``)."""
    row = report_facts().loc[name]
    if row["qualifier"] != "exact":
        raise ValueError(f"fact {name!r} is not exact ({row['qualifier']}); use report_facts()")
    return as_float(row["value_low"])


# --------------------------------------------------------------------------- survey rounds
# Categories a national series figure carries (one line per category and year).
SERIES_CATEGORIES = ("high", "low", "dont_know", "unassigned_first", "unassigned_second")


def rounds() -> pd.DataFrame:
    """One row per survey round (``data/rounds.csv``), indexed by year, oldest first.

    ``respondents`` and ``response_percent`` are the report's own numbers and empty (NaN) where no
    report published them; ``outside_response_percent`` is a figure from outside the reports.
    """
    return _read(paths.ROUNDS).set_index("year").sort_index()


def round_years() -> list[int]:
    return [int(y) for y in rounds().index]


def latest_round() -> int:
    """The year of the newest survey round: the round the book reports on."""
    return round_years()[-1]


def comparable_rounds(year: int | None = None) -> list[int]:
    """Earlier rounds asked on the same answer scale as ``year`` (default: the latest), oldest
    first. Rounds on another scale are not comparable (the scale changed once, ``scale``)."""
    r = rounds()
    year = latest_round() if year is None else year
    same = r.index[(r["scale"] == r.loc[year, "scale"]) & (r.index < year)]
    return [int(y) for y in same]


def previous_comparable_round(year: int | None = None) -> int | None:
    """The round before ``year`` (default: the latest) on the same scale, or None."""
    earlier = comparable_rounds(year)
    return earlier[-1] if earlier else None


def scale_breaks() -> list[int]:
    """Years after which the answer scale changed (the last round of each earlier scale)."""
    r = rounds()["scale"]
    return [int(y) for y, nxt in zip(r.index[:-1], r.iloc[1:], strict=True) if r[y] != nxt]


def respondents(year: int | None = None) -> int | None:
    """Published number of responding municipalities of a round (None where unpublished)."""
    v = as_float(rounds().loc[latest_round() if year is None else year, "respondents"])
    return None if pd.isna(v) else int(v)


def municipalities(year: int | None = None) -> int:
    return as_int(rounds().loc[latest_round() if year is None else year, "municipalities"])


def first_published_respondents() -> int | None:
    """The first round whose number of respondents was published (None if none was)."""
    known = rounds()["respondents"].dropna()
    return int(known.index[0]) if len(known) else None


def county_years(question: str | None = None) -> list[int]:
    """Rounds that have county tables (rows for individual regions), oldest first."""
    d = report_figures()
    d = d[d["region"].isin(REGIONS)]
    if question is not None:
        d = d[d["question"] == question]
    return sorted(int(y) for y in d["year"].unique())


def county_table(
    question: str, categories: list[str] | None = None, year: int | None = None
) -> pd.DataFrame:
    """The county table of a scale question for one round (default: the latest round that has
    county tables): regions × categories (percent as printed).

    Rows are found by question, year and region, not by figure number (the figure is
    provenance: it differs between report editions). The national row is labelled ``Riket``
    and taken from the same figure as the regions; regions follow the report's order.
    """
    from kommunenkat.core.labels import REGION_NATIONAL

    if year is None:
        years = county_years(question)
        year = years[-1] if years else latest_round()
    d = report_figures()
    d = d[(d["question"] == question) & (d["year"] == year)]
    figs = d.loc[d["region"].isin(REGIONS), "figure"].unique()
    if len(figs) > 1:
        raise ValueError(f"{question} {year}: more than one county table (figures {list(figs)})")
    d = d[d["figure"].isin(figs)]
    t = d.pivot(index="region", columns="category", values="percent")
    cols = categories or (SCALE + list(AGGREGATES))
    return t.reindex(index=[REGION_NATIONAL, *REGIONS], columns=cols)


def national_series(question: str) -> pd.DataFrame:
    """The yearly national series of a scale question in long form (every round's figure).

    Series rows are the national rows of the question in figures that show only the national
    level and only the series categories (high, low, don't know, unlabelled); so the figure a
    new report edition gives them does not matter.
    """
    from kommunenkat.core.labels import REGION_NATIONAL

    d = report_figures()
    d = d[d["question"] == question]
    per_fig = d.groupby("figure").agg(
        regions=("region", lambda s: set(s) == {REGION_NATIONAL}),
        cats=("category", lambda s: set(s) <= set(SERIES_CATEGORIES)),
    )
    figs = per_fig.index[per_fig["regions"] & per_fig["cats"]]
    return d[d["figure"].isin(figs)].sort_values(["category", "year"]).reset_index(drop=True)


@cache
def require_valid() -> None:
    """Raise :class:`kommunenkat.inputs.validate.DataError` unless all data files validate.

    A book build validates ``data/`` once before executing the notebooks and passes the hash of
    what it validated to their kernels (``KOMMUNENKAT_VALIDATED_DATA``); when the files still have
    that hash the check is not repeated in every notebook.
    """
    import os

    from kommunenkat.inputs.validated import VALIDATED_ENV, data_digest

    validated = os.environ.get(VALIDATED_ENV)
    if validated and validated == data_digest(paths.DATA):
        return
    from kommunenkat.inputs.validate import validate_all

    report = validate_all()
    report.raise_for_errors()
