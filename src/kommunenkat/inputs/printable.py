"""Can a county table's printed percentages come from whole numbers of municipalities?

A county row of ``report_figures.csv`` prints, for one region, question and round, six answer
categories and two aggregates as whole percentages of the ``n`` municipalities that answered.
``n`` is at most the region's municipalities (``counties.csv``), and the report rounds exact
halves up (1 of 8 = 12,5 % is printed 13). A row that no counts of such an ``n`` reproduce cannot
have been printed: a transcription slip, or a round added with more respondents in a region than
it has municipalities. :func:`county_count_problems` names each such row at its line, before the
reconstruction (:mod:`kommunenkat.inference.reconstruct`) is asked to find counts that do not
exist; the national row is checked the same way against the round's respondents and the sums
of the regions' possible ``n``.

The test is exact and quick: for a given ``n`` each category's possible counts form an interval
(:func:`half_up_counts`), and the sum of intervals is an interval, so whether six counts summing
to ``n`` that also reproduce both aggregates exist is decided by comparing bounds
(:func:`possible_n`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, REGIONS, SCALE
from kommunenkat.inputs.problems import Problem, numbered_rows

# The largest number of answering municipalities any round can have (Sweden's municipalities).
MAX_MUNICIPALITIES = 290

#: The check's name, under which data/known_inconsistencies.csv could list a row.
CHECK = "county-counts"

# A row of report_figures.csv: (figure, question, year, region, category) -> (line, percent).
FigureRows = Mapping[tuple[int, str, int, str, str], tuple[int, int]]


def half_up_counts(n: int, percent: int) -> tuple[int, int]:
    """The smallest and largest count ``c`` of ``n`` printed as ``percent`` when exact halves are
    rounded up (``p − 0,5 ≤ 100·c/n < p + 0,5``); the smallest exceeds the largest when none is."""
    low = max(0, -(-(2 * percent - 1) * n // 200))  # ceil((2p − 1)·n / 200)
    high = min(n, -(-(2 * percent + 1) * n // 200) - 1)  # ceil((2p + 1)·n / 200) − 1
    return low, high


def _fits(n: int, percents: Mapping[str, int]) -> bool:
    """Do counts of ``n`` exist that print as ``percents`` (categories and aggregates)?"""
    bounds = {c: half_up_counts(n, percents[c]) for c in SCALE}
    if any(lo > hi for lo, hi in bounds.values()):
        return False
    low_total = high_total = 0
    grouped = {p for parts in AGGREGATES.values() for p in parts}
    for agg, parts in AGGREGATES.items():
        a_lo, a_hi = half_up_counts(n, percents[agg])
        lo = max(a_lo, sum(bounds[p][0] for p in parts))
        hi = min(a_hi, sum(bounds[p][1] for p in parts))
        if lo > hi:
            return False
        low_total, high_total = low_total + lo, high_total + hi
    for c in SCALE:
        if c not in grouped:
            low_total, high_total = low_total + bounds[c][0], high_total + bounds[c][1]
    return low_total <= n <= high_total


def possible_n(percents: Mapping[str, int], max_n: int) -> list[int]:
    """Every ``n`` in 1..``max_n`` whose counts can print as ``percents`` (each category of
    :data:`~kommunenkat.core.labels.SCALE` and each aggregate, whole percents, halves up)."""
    return [n for n in range(1, max_n + 1) if _fits(n, percents)]


def _municipalities(data_dir: Path) -> dict[str, int] | None:
    """Municipalities per report region from counties.csv (None if it cannot be read: that
    file's own checks report why)."""
    try:
        out: dict[str, int] = {}
        for _, r in numbered_rows(data_dir / paths.COUNTIES.name):
            out[r["region"].strip()] = out.get(r["region"].strip(), 0) + int(r["municipalities"])
        return out
    except (OSError, KeyError, ValueError):
        return None


def _respondents(data_dir: Path) -> dict[int, int]:
    """Published respondents per round from rounds.csv (rounds without them left out)."""
    try:
        return {
            int(r["year"]): int(r["respondents"])
            for _, r in numbered_rows(data_dir / paths.ROUNDS.name)
            if r.get("respondents")
        }
    except (OSError, KeyError, ValueError):
        return {}


def _values(percents: Mapping[str, int]) -> str:
    return ", ".join(f"{c} {percents[c]}" for c in [*SCALE, *AGGREGATES])


def _lines(lines: list[int]) -> str:
    lines = sorted(lines)
    if lines == list(range(lines[0], lines[-1] + 1)):
        return f"lines {lines[0]}–{lines[-1]}"
    return "lines " + ", ".join(map(str, lines))


def county_count_problems(rows: FigureRows, path: Path, name: str) -> list[Problem]:
    """Every county row (and national row) of a county table that no whole counts reproduce.

    ``rows``: every row of ``report_figures.csv`` at ``path`` by key, with its line and printed
    percent. A region's ``n`` is at most its municipalities (``counties.csv`` beside it); the
    national row's ``n`` is at most the round's respondents (``rounds.csv``; else all
    municipalities) and lies between the sums of the regions' smallest and largest possible ``n``.
    Rows with a missing category are left to the coverage check.
    """
    munis = _municipalities(path.parent)
    if munis is None:
        return []
    respondents = _respondents(path.parent)
    cats = [*SCALE, *AGGREGATES]
    probs: list[Problem] = []
    tables = sorted({(k[0], k[1], k[2]) for k in rows if k[3] in REGIONS})
    for fig, q, year in tables:
        span: list[tuple[int, int]] = []  # each region's smallest and largest possible n
        for region in [*REGIONS, REGION_NATIONAL]:
            found = [rows.get((fig, q, year, region, c)) for c in cats]
            got = [f for f in found if f is not None]
            if len(got) < len(found):
                continue
            percents = {c: f[1] for c, f in zip(cats, got, strict=True)}
            lines = [f[0] for f in got]
            if region == REGION_NATIONAL:
                max_n = respondents.get(year, MAX_MUNICIPALITIES)
                whose = (
                    f"the {max_n} respondents of {year} in rounds.csv"
                    if year in respondents
                    else "all municipalities"
                )
            elif region in munis:
                max_n, whose = munis[region], f"{region}'s municipalities in counties.csv"
            else:
                continue
            ns = possible_n(percents, max_n)
            where = f"{region}, question {q}, {year} (figure {fig}, {_lines(lines)})"
            if not ns:
                larger = possible_n(percents, MAX_MUNICIPALITIES)
                hint = (
                    f"; the smallest n that gives them is {larger[0]}"
                    if larger and larger[0] > max_n
                    else ""
                )
                probs.append(
                    Problem(
                        name,
                        lines[0],
                        "percent",
                        f"{where}: no counts of at most {max_n} answering municipalities "
                        f"({whose}) give the printed percentages {_values(percents)} under the "
                        f"report's half-up rounding{hint}",
                        CHECK,
                        f"{fig}|{q}|{year}|{region}",
                    )
                )
                continue
            if region != REGION_NATIONAL:
                span.append((ns[0], ns[-1]))
            elif len(span) == len(REGIONS):
                low, high = sum(s[0] for s in span), sum(s[1] for s in span)
                if not any(low <= n <= high for n in ns):
                    probs.append(
                        Problem(
                            name,
                            lines[0],
                            "percent",
                            f"{where}: the national row {_values(percents)} needs one of "
                            f"{_ranges(ns)} answering municipalities, but the regions' rows "
                            f"allow {low}–{high} (no counts reproduce both)",
                            CHECK,
                            f"{fig}|{q}|{year}|{REGION_NATIONAL}",
                        )
                    )
    return probs


def _ranges(ns: list[int]) -> str:
    """``[3, 4, 5, 9]`` -> ``3–5 or 9``."""
    parts: list[str] = []
    start = prev = ns[0]
    for n in [*ns[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return " or ".join(parts)
