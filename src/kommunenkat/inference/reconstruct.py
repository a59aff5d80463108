"""Integer counts behind the rounded percentages of the latest round's county tables.

In the 2023 report these are Figur 12–15.

The report prints, for each of the four scale questions and each of its 20 regions (Gotland is
merged with Stockholm), six integer percentages (the answer categories of
:data:`~kommunenkat.core.labels.SCALE`) and two aggregates (``high``, ``low``), plus a national row
(``Riket``). Regions are small, so the printed percentages pin down the number of answering
municipalities ``n`` and the count ``c`` of every category. The search is exact and exhaustive:

1. **Cell solutions.** For a region × question cell, every ``n`` in 1..(municipalities of the
   region) and every vector of six non-negative integers summing to ``n`` is a solution when each
   category and both aggregates satisfy ``|100·c/n − p| ≤ 0.5`` against the printed ``p``. The
   test is done in integers (``|200·c − 2·p·n| ≤ n``), so exact halves are accepted whichever way
   they were rounded (the report rounds half up: 1/8 = 12,5 % is printed 13). For a given ``n``
   the condition confines each count to a short interval; the search runs over the product of
   those intervals, which is the complete set of candidates.
2. **One n per region.** A municipality that answered the survey normally answers all four
   questions (``dont_know`` is an answer), so a region's candidates are restricted to the ``n``
   feasible for all four questions when such an ``n`` exists. When none exists, the region had
   item non-response and every question keeps its own ``n``.
3. **National rows.** The counts summed over the regions must reproduce every printed national
   percentage (six categories and two aggregates, same tolerance), and no question may have more
   answers than the round's respondents (``data/rounds.csv``: 244 in 2023). All combinations of
   the remaining candidates are searched. Should none fit, the one-n preference of step 2 is
   dropped and the search repeated over all cell solutions (logged).
4. **Choice.** If several full solutions remain, the rule :func:`_preference` picks one
   deterministically: most questions whose total equals the respondents; then the largest number
   of answers overall; then the most regions with one n for all questions; then the larger n in
   region and question order; then the lexicographically smallest counts.

:func:`solve` runs this on the report's data; :func:`reconstruct` runs it on any tables (for
tests). Decisions are recorded in :attr:`Reconstruction.log`; nothing is printed.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from kommunenkat.core.cells import as_int
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, REGIONS, SCALE, SCALE_QUESTIONS
from kommunenkat.inputs import data

#: Refuse to enumerate more candidate combinations than this in the national search.
MAX_COMBINATIONS = 1_000_000

UNIQUE = "unique"
COMMON_N = "common n across questions"
NATIONAL = "national row"
TIE_BREAK = "tie-break rule"
PER_QUESTION = "per-question n (item non-response)"
NO_COMMON_N = "no common n: item non-response"

_RANK = {UNIQUE: 0, COMMON_N: 1, NATIONAL: 2, TIE_BREAK: 3}


@dataclass(frozen=True, order=True)
class CellSolution:
    """One way a cell can have been produced: ``n`` answers split as ``counts`` (SCALE order)."""

    n: int
    counts: tuple[int, ...]

    def aggregate(self, name: str) -> int:
        """The count of an aggregate (``high`` or ``low``) or of a single category."""
        parts = AGGREGATES.get(name, [name])
        return sum(self.counts[SCALE.index(p)] for p in parts)


@dataclass(frozen=True)
class Reconstruction:
    """Result of the search: the chosen counts and how they were arrived at."""

    regions: tuple[str, ...]
    questions: tuple[str, ...]
    municipalities: dict[str, int]
    respondents: int
    printed: dict[str, pd.DataFrame]
    #: every solution each cell admits on its own, keyed by (region, question)
    solutions: dict[tuple[str, str], tuple[CellSolution, ...]]
    #: per region, the n feasible for all questions (empty: item non-response)
    common_n: dict[str, tuple[int, ...]]
    #: the chosen solution of each cell
    chosen: dict[tuple[str, str], CellSolution]
    #: how each cell's solution was determined (``unique``, ``common n across questions``, ...)
    cell_resolution: dict[tuple[str, str], str]
    #: how each region's n was determined
    region_resolution: dict[str, str]
    #: number of full solutions reproducing the national rows (1 = no alternatives)
    n_full_solutions: int
    #: the same count when the one-n-per-region preference is not applied (None: too many)
    n_full_solutions_unrestricted: int | None
    log: tuple[str, ...]

    def n(self, region: str, question: str) -> int:
        return self.chosen[region, question].n

    def totals(self) -> dict[str, int]:
        """Answers per question summed over the regions."""
        return {q: sum(self.n(r, q) for r in self.regions) for q in self.questions}

    def region_respondents(self, region: str) -> int:
        """A region's respondents: the largest n over the questions."""
        return max(self.n(region, q) for q in self.questions)

    def item_nonresponse(self) -> dict[str, list[str]]:
        """Per question, the regions where fewer municipalities answered it than the survey."""
        return {
            q: [r for r in self.regions if self.n(r, q) < self.region_respondents(r)]
            for q in self.questions
        }


# --------------------------------------------------------------------------- step 1: one cell
def _within(count: int, n: int, percent: int) -> bool:
    """``|100·count/n − percent| ≤ 0.5``, exactly, in integers."""
    return abs(200 * count - 2 * percent * n) <= n


def count_range(n: int, percent: int) -> range:
    """All counts ``c`` in 0..n with ``|100·c/n − percent| ≤ 0.5``."""
    low = max(0, -((-(2 * percent - 1) * n) // 200))  # ceil((2p − 1)·n / 200)
    high = min(n, (2 * percent + 1) * n // 200)  # floor((2p + 1)·n / 200)
    return range(low, high + 1)


def printed_percent(count: int, n: int) -> int:
    """The integer percent the report prints for ``count`` of ``n``: exact halves rounded up."""
    return (200 * count + n) // (2 * n)  # floor(100·count/n + 1/2) in integers


def counts_half_up(n: int, percent: int) -> range:
    """All counts ``c`` of ``n`` that the report prints as ``percent`` (halves up).

    :func:`count_range` accepts both ends of the ±0.5 band; under the report's rule an exact
    half at the upper end is printed one higher, so that count is dropped. Empty: no count of
    ``n`` can be printed as ``percent`` (a GRIM-type impossibility).
    """
    r = count_range(n, percent)
    if len(r) and 200 * r[-1] == (2 * percent + 1) * n:
        return range(r.start, r.stop - 1)
    return r


def _printed_int(value: object, region: str, question: str, category: str) -> int:
    if (
        not isinstance(value, numbers.Real)
        or math.isnan(float(value))
        or float(value) != as_int(value)
    ):
        raise ValueError(
            f"{region} / {question}: printed percent of {category!r} is {value!r}, not an integer"
        )
    return as_int(value)


def cell_solutions(
    percents: Mapping[str, object], max_n: int, region: str = "?", question: str = "?"
) -> tuple[CellSolution, ...]:
    """Every (n, counts) with n ≤ ``max_n`` that rounds to the printed row ``percents``.

    ``percents`` maps each category of SCALE and each aggregate (``high``, ``low``) to its printed
    integer percent. Raises :class:`ValueError` naming the cell when there is no solution.
    """
    p = {c: _printed_int(percents[c], region, question, c) for c in [*SCALE, *AGGREGATES]}
    found = []
    for n in range(1, max_n + 1):
        ranges = [count_range(n, p[c]) for c in SCALE]
        for counts in itertools.product(*ranges):
            if sum(counts) != n:
                continue
            sol = CellSolution(n, tuple(counts))
            if all(_within(sol.aggregate(a), n, p[a]) for a in AGGREGATES):
                found.append(sol)
    if not found:
        row = " ".join(str(p[c]) for c in [*SCALE, *AGGREGATES])
        raise ValueError(
            f"no counts reproduce the printed percentages of region {region!r}, question "
            f"{question!r} ({row}) with at most {max_n} answering municipalities"
        )
    return tuple(found)


# --------------------------------------------------------------------------- step 3: nation
#: A full solution: per region (search order), the solution of each question (question order).
Combination = tuple[tuple[CellSolution, ...], ...]


def _national_ok(
    combo: Combination,
    questions: tuple[str, ...],
    national: dict[str, dict[str, int]],
    respondents: int,
) -> bool:
    """Do the summed counts of a full combination reproduce every national row?"""
    for qi, q in enumerate(questions):
        n = sum(region[qi].n for region in combo)
        if n > respondents:
            return False
        for c in [*SCALE, *AGGREGATES]:
            if not _within(sum(region[qi].aggregate(c) for region in combo), n, national[q][c]):
                return False
    return True


def _search(
    options: list[list[tuple[CellSolution, ...]]],
    questions: tuple[str, ...],
    national: dict[str, dict[str, int]],
    respondents: int,
) -> tuple[int, list[Combination]]:
    """All combinations of the region options that reproduce the national rows."""
    size = math.prod(len(o) for o in options)
    if size > MAX_COMBINATIONS:
        raise ValueError(
            f"{size} candidate combinations exceed MAX_COMBINATIONS={MAX_COMBINATIONS}"
        )
    hits = [
        combo
        for combo in itertools.product(*options)
        if _national_ok(combo, questions, national, respondents)
    ]
    return size, hits


def _preference(
    combo: Combination, questions: tuple[str, ...], respondents: int
) -> tuple[int, int, int, tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """Sort key of a full solution: smaller is preferred (see the module docstring, step 4)."""
    totals = [sum(region[qi].n for region in combo) for qi in range(len(questions))]
    one_n = sum(len({s.n for s in region}) == 1 for region in combo)
    ns = tuple(s.n for region in combo for s in region)
    counts = tuple(s.counts for region in combo for s in region)
    return (
        -sum(t == respondents for t in totals),
        -sum(totals),
        -one_n,
        tuple(-x for x in ns),
        counts,
    )


# --------------------------------------------------------------------------- the whole search
def reconstruct(
    tables: Mapping[str, pd.DataFrame],
    municipalities: Mapping[str, int],
    respondents: int,
) -> Reconstruction:
    """Run the search on printed tables (question → DataFrame as :func:`data.county_table`).

    ``tables`` must have the national row ``Riket`` and one row per region of ``municipalities``
    (which gives the search order and each region's upper bound for n).
    """
    questions = tuple(tables)
    regions = tuple(municipalities)
    cats = [*SCALE, *AGGREGATES]
    log: list[str] = []

    # Step 1: every cell on its own.
    solutions = {
        (r, q): cell_solutions(
            {str(c): v for c, v in tables[q].loc[r, cats].to_dict().items()},
            int(municipalities[r]),
            region=r,
            question=q,
        )
        for q in questions
        for r in regions
    }
    multi = {k: v for k, v in solutions.items() if len(v) > 1}
    log.append(
        f"cell search: {len(solutions)} cells, {len(solutions) - len(multi)} with exactly one "
        f"(n, counts) solution, {len(multi)} with several"
    )
    for (r, q), sols in multi.items():
        log.append(f"  {r} / {q}: {len(sols)} solutions, n in {sorted({s.n for s in sols})}")

    # Step 2: one n per region where possible.
    common_n: dict[str, tuple[int, ...]] = {}
    options: list[list[tuple[CellSolution, ...]]] = []
    unrestricted: list[list[tuple[CellSolution, ...]]] = []
    for r in regions:
        feasible = [{s.n for s in solutions[r, q]} for q in questions]
        common = tuple(sorted(set.intersection(*feasible)))
        common_n[r] = common
        everything = list(itertools.product(*(solutions[r, q] for q in questions)))
        unrestricted.append(everything)
        if common:
            options.append([o for o in everything if len({s.n for s in o}) == 1])
            if any(len(solutions[r, q]) > 1 for q in questions):
                log.append(f"{r}: n feasible for all questions: {list(common)}")
        else:
            options.append(everything)
            per_q = ", ".join(f"{q} {sorted(f)}" for q, f in zip(questions, feasible, strict=True))
            log.append(f"{r}: no n is feasible for all questions ({per_q}); item non-response")

    # Step 3: the national rows.
    national = {
        q: {c: _printed_int(tables[q].loc[REGION_NATIONAL, c], REGION_NATIONAL, q, c) for c in cats}
        for q in questions
    }
    size, hits = _search(options, questions, national, respondents)
    log.append(
        f"national search (one n per region where possible): {size} combination(s), "
        f"{len(hits)} reproduce all national rows with at most {respondents} answers"
    )
    try:
        size_all, hits_all = _search(unrestricted, questions, national, respondents)
        n_unrestricted: int | None = len(hits_all)
        log.append(
            f"check without the one-n preference: {size_all} combination(s), "
            f"{len(hits_all)} reproduce all national rows"
        )
    except ValueError:
        hits_all, n_unrestricted = None, None
        log.append("check without the one-n preference: skipped (too many combinations)")
    dropped_preference = False
    if not hits:
        if not hits_all:
            raise ValueError(
                "no combination of the regions' counts reproduces the national rows of "
                + ", ".join(questions)
            )
        hits, dropped_preference = hits_all, True
        log.append("one-n preference dropped: only per-question n reproduce the national rows")

    # Step 4: choose.
    hits.sort(key=lambda combo: _preference(combo, questions, respondents))
    best = hits[0]
    if len(hits) > 1:
        log.append(
            f"{len(hits)} full solutions remain; chose the first by the preference rule "
            f"({len(hits) - 1} alternative(s))"
        )
    chosen = {
        (r, q): best[ri][qi] for ri, r in enumerate(regions) for qi, q in enumerate(questions)
    }

    cell_resolution: dict[tuple[str, str], str] = {}
    region_resolution: dict[str, str] = {}
    for ri, r in enumerate(regions):
        stage = unrestricted[ri] if dropped_preference else options[ri]
        for qi, q in enumerate(questions):
            if len(solutions[r, q]) == 1:
                how = UNIQUE
            elif len({o[qi] for o in stage}) == 1:
                how = COMMON_N
            elif len({h[ri][qi] for h in hits}) == 1:
                how = NATIONAL
            else:
                how = TIE_BREAK
            cell_resolution[r, q] = how
        worst = max((cell_resolution[r, q] for q in questions), key=_RANK.__getitem__)
        region_resolution[r] = worst if common_n[r] else NO_COMMON_N
        if not common_n[r]:
            for q in questions:
                cell_resolution[r, q] += f", {PER_QUESTION}"

    # Summary lines.
    rec_totals = {q: sum(chosen[r, q].n for r in regions) for q in questions}
    for q, total in rec_totals.items():
        line = f"{q}: {total} answers"
        if total < respondents:
            fewer = [
                f"{r} ({chosen[r, q].n} of {max(chosen[r, qq].n for qq in questions)})"
                for r in regions
                if chosen[r, q].n < max(chosen[r, qq].n for qq in questions)
            ]
            line += f", {respondents - total} fewer than {respondents}; fewer in: " + (
                ", ".join(fewer) or "none (municipalities that answered no question)"
            )
        log.append(line)
    up = down = 0
    for (r, q), sol in chosen.items():
        for c in cats:
            twice = 200 * sol.aggregate(c)  # twice the exact percent, times n
            if twice % sol.n == 0 and (twice // sol.n) % 2 == 1:  # an exact x.5 %
                printed_twice = 2 * _printed_int(tables[q].loc[r, c], r, q, c) * sol.n
                up += printed_twice > twice
                down += printed_twice < twice
    log.append(f"exact halves in the county tables: {up} printed rounded up, {down} rounded down")

    return Reconstruction(
        regions=regions,
        questions=questions,
        municipalities={r: int(municipalities[r]) for r in regions},
        respondents=respondents,
        printed=dict(tables),
        solutions=solutions,
        common_n=common_n,
        chosen=chosen,
        cell_resolution=cell_resolution,
        region_resolution=region_resolution,
        n_full_solutions=len(hits),
        n_full_solutions_unrestricted=n_unrestricted,
        log=tuple(log),
    )


@cache
def solve(year: int | None = None) -> Reconstruction:
    """The reconstruction of a round's four county tables (default: the latest round that has
    them; cached per round)."""
    year = county_year() if year is None else int(year)
    tables = {q: data.county_table(q, year=year) for q in SCALE_QUESTIONS}
    municipalities = data.region_municipalities().reindex(REGIONS)
    respondents = data.respondents(year)
    if respondents is None:
        raise ValueError(f"rounds.csv: the respondents of {year} are needed for its county tables")
    by_region = {str(r): int(m) for r, m in municipalities.astype(int).items()}
    return reconstruct(tables, by_region, respondents)


def county_year() -> int:
    """The round whose county tables are reconstructed: the latest that has them."""
    return data.county_years()[-1]


# --------------------------------------------------------------------------- tables
def county_counts(rec: Reconstruction | None = None) -> pd.DataFrame:
    """One row per region × question × answer category: the reconstructed count and n."""
    rec = rec or solve()
    rows = [
        {
            "region": r,
            "question": q,
            "category": c,
            "count": rec.chosen[r, q].counts[ci],
            "n": rec.chosen[r, q].n,
            "n_solutions": len(rec.solutions[r, q]),
            "resolution": rec.cell_resolution[r, q],
        }
        for r in rec.regions
        for q in rec.questions
        for ci, c in enumerate(SCALE)
    ]
    return pd.DataFrame(rows)


def county_response(rec: Reconstruction | None = None) -> pd.DataFrame:
    """Per region: municipalities, respondents (largest n over questions), smallest n, rate."""
    rec = rec or solve()
    rows = []
    for r in rec.regions:
        ns = [rec.n(r, q) for q in rec.questions]
        rows.append(
            {
                "region": r,
                "municipalities": rec.municipalities[r],
                "respondents": max(ns),
                "min_n": min(ns),
                "response_rate": max(ns) / rec.municipalities[r],
                "n_candidates": len(rec.common_n[r]),
                "resolution": rec.region_resolution[r],
            }
        )
    return pd.DataFrame(rows)


def national_check(rec: Reconstruction | None = None) -> pd.DataFrame:
    """Per question: summed counts and recomputed percentages against the printed national row.

    Columns: ``question``, ``n``, then for each category and aggregate ``count_<c>``,
    ``percent_<c>`` (float) and ``printed_<c>``, and ``matches`` (all within rounding).
    """
    rec = rec or solve()
    rows = []
    for q in rec.questions:
        n = sum(rec.n(r, q) for r in rec.regions)
        row: dict[str, object] = {"question": q, "n": n}
        ok = n <= rec.respondents
        for c in [*SCALE, *AGGREGATES]:
            count = sum(rec.chosen[r, q].aggregate(c) for r in rec.regions)
            printed = as_int(rec.printed[q].loc[REGION_NATIONAL, c])
            row[f"count_{c}"] = count
            row[f"percent_{c}"] = 100 * count / n
            row[f"printed_{c}"] = printed
            ok = ok and _within(count, n, printed)
        row["matches"] = ok
        rows.append(row)
    return pd.DataFrame(rows)


DERIVED = {"county_counts.csv": county_counts, "county_response.csv": county_response}
