"""Loading the project's data files as typed pandas tables.

Loaders do not validate; ``make check-data`` (:mod:`kommunenkat.validate`) runs first in every
build and test, and the notebooks call :func:`require_valid` once so that a notebook run on its own
cannot silently use invalid data.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from . import paths
from .labels import AGGREGATES, REGIONS, SCALE


def _read(path, **kwargs) -> pd.DataFrame:
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
    return row["value_low"]


def county_table(question: str, categories=None) -> pd.DataFrame:
    """The 2023 county table of a scale question: regions × categories (percent as printed).

    The national row is labelled ``Riket``; regions follow the report's order.
    """
    from .labels import REGION_NATIONAL, SCALE_QUESTIONS

    fig = SCALE_QUESTIONS[question]["county"]
    d = report_figures()
    d = d[(d["figure"] == fig) & (d["question"] == question)]
    t = d.pivot(index="region", columns="category", values="percent")
    cols = categories or (SCALE + list(AGGREGATES))
    return t.reindex(index=[REGION_NATIONAL, *REGIONS], columns=cols)


def national_series(question: str) -> pd.DataFrame:
    """The yearly national series of a scale question (figures 4, 6, 8, 10) in long form."""
    from .labels import SCALE_QUESTIONS

    fig = SCALE_QUESTIONS[question]["series"]
    d = report_figures()
    return d[d["figure"] == fig].sort_values(["category", "year"]).reset_index(drop=True)


@cache
def require_valid() -> None:
    """Raise :class:`kommunenkat.validate.DataError` unless all data files validate.

    A book build validates ``data/`` once before executing the notebooks and passes the hash of
    what it validated to their kernels (``KOMMUNENKAT_VALIDATED_DATA``); when the files still have
    that hash the check is not repeated in every notebook.
    """
    import os

    from .build import VALIDATED_ENV, data_digest

    validated = os.environ.get(VALIDATED_ENV)
    if validated and validated == data_digest(paths.DATA):
        return
    from .validate import validate_all

    report = validate_all()
    report.raise_for_errors()
