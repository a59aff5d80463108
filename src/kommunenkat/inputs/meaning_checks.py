"""Checks of what ``data/`` means, beyond its schema.

The transcription of the first edition has every row the report prints and no other
(:func:`expected_keys`), and every later round adds its county tables and national series values
(:func:`expected_round_keys`); an answer distribution sums to 100 and an aggregate to its parts
within rounding; a national series never sums past 100; the same quantity printed in two figures
agrees; every county row can be printed from whole counts of at most the region's
municipalities (:mod:`printable`) (:func:`meaning_report_figures`). The rounds are in order,
with respondents within the municipalities and the latest round's respondents known
(:func:`meaning_rounds`); the counties sum to the country's 290 municipalities, every region has
a county and Gotland is reported with Stockholm (:func:`meaning_counties`). Each problem carries
the name of its check and a key, under which ``data/known_inconsistencies.csv`` can list it as an
inconsistency of the source report (:data:`MEANING_CHECKS`).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.core.labels import (
    AGGREGATES,
    FIRST_EDITION,
    REGION_NATIONAL,
    REGIONS,
    SCALE,
    SCALE_QUESTIONS,
    SERIES_BY_QUESTION,
)
from kommunenkat.inputs import printable
from kommunenkat.inputs.problems import Problem, numbered_rows

TOTAL_MUNICIPALITIES = 290

# A row of report_figures.csv: (figure, question, year, region, category).
FigureKey = tuple[int, str, int, str, str]


def expected_keys() -> set[tuple[int, str, int, str, str]]:
    """Every (figure, question, year, region, category) the transcription of the first edition
    (the 2023 report, :data:`~kommunenkat.core.labels.FIRST_EDITION`, with its series back to 2019)
    must contain: a fixed document, hence fixed years. Later rounds are checked by
    :func:`expected_round_keys`, keyed without figure numbers."""
    keys: set[tuple[int, str, int, str, str]] = set()
    cats = SCALE + list(AGGREGATES)
    for q, figs in SCALE_QUESTIONS.items():
        for region in [REGION_NATIONAL, *REGIONS]:
            for c in cats:
                keys.add((figs["county"], q, 2023, region, c))
    for fig, q in [(4, "far_from_labour_market"), (6, "strategic_collab"), (8, "operative_collab")]:
        for year in range(2020, 2024):
            for c in ("high", "low"):
                keys.add((fig, q, year, REGION_NATIONAL, c))
    keys |= {
        (6, "strategic_collab", 2019, REGION_NATIONAL, c)
        for c in ("unassigned_first", "unassigned_second")
    }
    for year in (2020, 2021, 2023):
        for c in ("high", "low", "dont_know"):
            keys.add((10, "employer_support", year, REGION_NATIONAL, c))
    keys |= {
        (5, "far_from_labour_market", 2023, REGION_NATIONAL, c) for c in ("very_low", "fairly_low")
    }
    keys |= {
        (1, "help_kinds", 2023, REGION_NATIONAL, c)
        for c in ("help_register", "help_case", "help_decisions_reporting", "help_newcomers")
    }
    keys |= {(2, "help_kinds", y, REGION_NATIONAL, "help_register") for y in (2020, 2023)}
    keys |= {
        (3, "help_kinds", 2023, REGION_NATIONAL, c) for c in ("any_help", "five_to_eight_kinds")
    }
    return keys


def expected_round_keys(year: int) -> set[tuple[str, int, str, str]]:
    """Every (question, year, region, category) a round after the first edition must add: the
    four county tables (national row included) and the national series values of the year."""
    keys: set[tuple[str, int, str, str]] = set()
    for q in SCALE_QUESTIONS:
        for region in [REGION_NATIONAL, *REGIONS]:
            for c in SCALE + list(AGGREGATES):
                keys.add((q, year, region, c))
        for c in SERIES_BY_QUESTION.get(q, ("high", "low")):
            keys.add((q, year, REGION_NATIONAL, c))
    return keys


def _round_years(data_dir: Path) -> list[int]:
    path = data_dir / paths.ROUNDS.name
    if not path.exists():
        return []
    years = []
    for _, r in numbered_rows(path):
        try:
            years.append(int(r["year"]))
        except (KeyError, ValueError):
            continue
    return sorted(years)


def _series_figures(by_key: dict[FigureKey, tuple[int, int]]) -> set[tuple[int, str]]:
    """(figure, question) pairs that are national series: only national rows, only series
    categories (the rule :func:`kommunenkat.inputs.data.national_series` uses)."""
    regions: dict[tuple[int, str], set[str]] = {}
    cats: dict[tuple[int, str], set[str]] = {}
    for fig, q, _year, region, cat in by_key:
        regions.setdefault((fig, q), set()).add(region)
        cats.setdefault((fig, q), set()).add(cat)
    allowed = {"high", "low", "dont_know", "unassigned_first", "unassigned_second"}
    return {fq for fq in regions if regions[fq] == {REGION_NATIONAL} and cats[fq] <= allowed}


def meaning_rounds(path: Path, name: str) -> list[Problem]:
    """Per-round facts: respondents within the municipalities, the rate their rounded ratio,
    rounds in order, the scale never returning to an earlier one, the latest round's
    respondents known (the county tables need them)."""
    probs: list[Problem] = []
    rows = sorted(numbered_rows(path), key=lambda lr: int(lr[1]["year"]))
    scales: list[int] = []
    for line, r in rows:
        resp, muni, rate = r["respondents"], r["municipalities"], r["response_percent"]
        if resp and int(resp) > int(muni):
            probs.append(
                Problem(name, line, "respondents", f"{resp} respondents > {muni} municipalities")
            )
        if resp and rate and int(rate) != (200 * int(resp) + int(muni)) // (2 * int(muni)):
            probs.append(
                Problem(
                    name,
                    line,
                    "response_percent",
                    f"{rate} % is not {resp}/{muni} rounded to whole percent",
                    "rounds",
                )
            )
        scale = int(r["scale"])
        if scales and scale != scales[-1] and scale in scales:
            probs.append(
                Problem(name, line, "scale", f"scale {scale} returns after another", "rounds")
            )
        scales.append(scale)
    if rows and not rows[-1][1]["respondents"]:
        probs.append(
            Problem(
                name,
                rows[-1][0],
                "respondents",
                "the latest round needs its number of respondents (the county tables are "
                "reconstructed with it)",
                "rounds",
            )
        )
    return probs


def meaning_report_figures(path: Path, name: str) -> list[Problem]:
    """``report_figures.csv``: editions and years are rounds, every expected row and no other is
    there, distributions and aggregates add up within rounding, national series stay within 100,
    and a quantity printed in two figures has one value."""
    rows = numbered_rows(path)
    probs: list[Problem] = []
    by_key: dict[FigureKey, tuple[int, int]] = {}
    edition: dict[FigureKey, int] = {}
    rounds = set(_round_years(path.parent))
    for line, r in rows:
        key = (int(r["figure"]), r["question"], int(r["year"]), r["region"], r["category"])
        by_key[key] = (line, int(r["percent"]))
        edition[key] = ed = int(r["edition"])
        # The edition is provenance (which report printed the row, whose numbering ``figure``
        # follows), never part of a key: a round's rows are found by question, year, region and
        # category.
        if rounds and ed not in rounds:
            msg = f"edition {ed} is not a survey round listed in rounds.csv"
        elif ed < key[2]:
            msg = f"edition {ed} is older than the row's year {key[2]}"
        elif key[2] > FIRST_EDITION and ed != key[2]:
            msg = (
                f"a row of the round {key[2]} carries edition {ed}; a new round's rows are "
                f"printed in its own edition ({key[2]})"
            )
        else:
            continue
        probs.append(Problem(name, line, "edition", msg, "coverage", "{}|{}|{}|{}|{}".format(*key)))
    for key in sorted(by_key, key=str):
        if rounds and key[2] not in rounds:
            line, _ = by_key[key]
            probs.append(
                Problem(
                    name,
                    line,
                    "year",
                    f"year {key[2]} is not a survey round listed in rounds.csv; add the round "
                    "there first",
                    "coverage",
                    "{}|{}|{}|{}|{}".format(*key),
                )
            )
    # Rounds after the first edition: keyed by question, year, region and category only (a new
    # report edition numbers its figures its own way; the figure is provenance).
    later = {k: v for k, v in by_key.items() if edition[k] != FIRST_EDITION}
    later_keys = {k[1:] for k in later}
    for year in sorted(y for y in rounds if y > FIRST_EDITION):
        exp_round = expected_round_keys(year)
        for key in sorted({k for k in later if k[2] == year and k[1:] not in exp_round}, key=str):
            probs.append(
                Problem(
                    name,
                    later[key][0],
                    None,
                    "unexpected row figure={} question={} year={} region={} category={} (a new "
                    "round adds its county tables and national series values only)".format(*key),
                    "coverage",
                    "{}|{}|{}|{}|{}".format(*key),
                )
            )
        for round_key in sorted(exp_round - later_keys, key=str):
            probs.append(
                Problem(
                    name,
                    None,
                    None,
                    "missing row question={} year={} region={} category={}".format(*round_key),
                    "coverage",
                    "{}|{}|{}|{}".format(*round_key),
                )
            )
    by_key_first = {k: v for k, v in by_key.items() if edition[k] == FIRST_EDITION}
    exp = expected_keys()
    for key in sorted(set(by_key_first) - exp, key=str):
        line, _ = by_key[key]
        probs.append(
            Problem(
                name,
                line,
                None,
                "unexpected row figure={} question={} year={} "
                "region={} category={} (not part of what the report publishes)".format(*key),
                "coverage",
                "{}|{}|{}|{}|{}".format(*key),
            )
        )
    for key in sorted(exp - set(by_key), key=str):
        probs.append(
            Problem(
                name,
                None,
                None,
                "missing row figure={} question={} year={} region={} category={}".format(*key),
                "coverage",
                "{}|{}|{}|{}|{}".format(*key),
            )
        )

    def pct(fig: int, q: str, year: int, region: str, cat: str) -> tuple[int, int] | None:
        return by_key.get((fig, q, year, region, cat))

    # County tables (every round's): distributions sum to 100, aggregates equal their parts
    # (within rounding).
    county_tables = sorted({(k[0], k[1], k[2]) for k in by_key if k[3] in REGIONS})
    for fig, q, year in county_tables:
        for region in [REGION_NATIONAL, *REGIONS]:
            found = [pct(fig, q, year, region, c) for c in SCALE]
            parts = [p for p in found if p is not None]
            if len(parts) < len(found):
                continue
            values = [p[1] for p in parts]
            tol = 0.5 * sum(v > 0 for v in values)
            total = sum(values)
            if abs(total - 100) > tol:
                probs.append(
                    Problem(
                        name,
                        parts[0][0],
                        "percent",
                        f"figure {fig}, {region}: the six answer categories sum to "
                        f"{total}, not 100 within rounding (±{tol:g})",
                        "distribution-sum",
                        f"{fig}|{region}",
                    )
                )
            for agg, comps in AGGREGATES.items():
                a = pct(fig, q, year, region, agg)
                found_cs = [pct(fig, q, year, region, c) for c in comps]
                cs = [c for c in found_cs if c is not None]
                if a is None or len(cs) < len(found_cs):
                    continue
                s = sum(c[1] for c in cs)
                agg_tol = 0.5 * (sum(c[1] > 0 for c in cs) + (a[1] > 0))
                if abs(a[1] - s) > agg_tol:
                    probs.append(
                        Problem(
                            name,
                            a[0],
                            "percent",
                            f"figure {fig}, {region}: '{agg}' is {a[1]} but its parts "
                            f"{' + '.join(str(c[1]) for c in cs)} = {s} (more than "
                            "rounding apart)",
                            "aggregate",
                            f"{fig}|{region}|{agg}",
                        )
                    )
    # National series: high + low (+ don't know) cannot exceed 100 beyond rounding.
    series_figs = _series_figures(by_key)
    for key in sorted(k for k in by_key if (k[0], k[1]) in series_figs):
        fig, q, year, region, cat = key
        if cat != "high":
            continue
        found = [by_key.get((fig, q, year, region, c)) for c in ("high", "low", "dont_know")]
        parts = [p for p in found if p is not None]
        total = sum(p[1] for p in parts)
        if total > 100 + 0.5 * len(parts):
            probs.append(
                Problem(
                    name,
                    parts[0][0],
                    "percent",
                    f"figure {fig}, {year}: high + low + don't know = {total} > 100",
                    "series-sum",
                    f"{fig}|{year}",
                )
            )
    # The same quantity printed in two places must agree.
    same: dict[tuple[str, int, str, str], list[tuple[int, int, int]]] = {}
    for key, (line, value) in by_key.items():
        fig, q, year, region, cat = key
        same.setdefault((q, year, region, cat), []).append((fig, line, value))
    for (q, year, region, cat), items in sorted(same.items(), key=str):
        if len({v for _, _, v in items}) > 1:
            desc = ", ".join(f"figure {f}: {v}" for f, _, v in sorted(items))
            probs.append(
                Problem(
                    name,
                    items[0][1],
                    "percent",
                    f"{q} {year} {region} {cat} is printed differently: {desc}",
                    "cross-figure",
                    f"{q}|{year}|{region}|{cat}",
                )
            )
    # Every county row must come from whole counts of at most the region's municipalities.
    probs += printable.county_count_problems(by_key, path, name)
    return probs


def meaning_counties(path: Path, name: str) -> list[Problem]:
    """``counties.csv``: 290 municipalities, every report region has a county, Gotland is reported
    with Stockholm."""
    rows = numbered_rows(path)
    probs = []
    total = sum(int(r["municipalities"]) for _, r in rows)
    if total != TOTAL_MUNICIPALITIES:
        probs.append(
            Problem(
                name,
                None,
                "municipalities",
                f"municipalities sum to {total}, not {TOTAL_MUNICIPALITIES}",
                "counties",
            )
        )
    regions = {r["region"] for _, r in rows}
    for missing in sorted(set(REGIONS) - regions):
        probs.append(
            Problem(name, None, "region", f"no county maps to region {missing!r}", "counties")
        )
    gotland = [
        (line, r)
        for line, r in rows
        if unicodedata.normalize("NFC", r["county"].strip()).casefold() == "gotland"
    ]
    for line, r in gotland:
        if unicodedata.normalize("NFC", r["region"].strip()) != "Stockholm samt Gotland":
            probs.append(
                Problem(
                    name,
                    line,
                    "region",
                    "Gotland must be reported with Stockholm "
                    "('Stockholm samt Gotland'), as in the report",
                    "counties",
                )
            )
    return probs


# The checks of meaning each file's function makes (see known_inconsistencies.csv).
MEANING_CHECKS = {
    "report_figures": {
        "coverage",
        "distribution-sum",
        "aggregate",
        "series-sum",
        "cross-figure",
        printable.CHECK,
    },
    "counties": {"counties"},
}
