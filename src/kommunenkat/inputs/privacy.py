"""Privacy check: no derived table goes below the report's own level of disaggregation.

``python -m kommunenkat.inputs.privacy [DIR]`` (default ``data/derived/``) checks every CSV file
and exits
non-zero naming file, line and column of each problem. The rules:

1. **Regions only.** A geography column (``region``, ``county``, ``län``, ``area``, … and
   ``region_a`` etc.) may hold only the report's 20 regions or ``Riket``. Gotland is never a
   group of its own (the report merges it into "Stockholm samt Gotland"), anywhere in a table.
2. **No municipalities.** No column for municipalities (``kommun``, ``municipality``,
   ``kommunkod``, …) and no four-digit municipality codes in a code column.
3. **No small groups.** Every group size in a table (columns ``n``, ``n1``, ``n_to``, ``min_n``,
   ``respondents``, …, and any other ``n_*`` column not listed in :data:`NOT_GROUP_SIZES`) must be
   at least the report's smallest published group: the smallest reconstructed ``n`` in
   ``county_counts.csv`` when that file exists, otherwise the fewest municipalities of any region
   (Blekinge, 5). Counts *within* a group (``count``, ``k``) are not group sizes: they are what the
   report's percentages of that group already imply.

4. **Possible counts.** Counts of mutually exclusive answer categories of one group (a
   ``category`` column; columns ``count``/``k``/``k_<x>``/``k<d>_min`` paired with ``n``/``n_<x>``/
   ``n_<x>_assumed``/``n<d>``) must not sum past the group's n: such a table cannot exist (the
   report's 2021 employer shares, 5 + 68 + 37 = 110 %, are an example). An aggregate (``high``,
   ``low``) and its own parts are not added twice.

Tables the notebooks publish are built from these files (or from ``data/``, which is at the
report's level by construction), so checking ``data/derived/`` covers them as far as files can.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, REGIONS, SCALE
from kommunenkat.inputs.problems import csv_rows, relative_name

ALLOWED_REGIONS = frozenset([REGION_NATIONAL, *REGIONS])
GEO_COLUMN = re.compile(r"^(region|county|l[aä]n|area|geography|place)(_\w+)?$", re.I)
MUNICIPALITY_COLUMN = re.compile(
    r"^(kommun(er)?(_?(namn|kod|id|code|name))?|municipality(_?(code|name|id))?|kommunkod)$", re.I
)
CODE_COLUMN = re.compile(r"(code|kod|id)$", re.I)
MUNICIPALITY_CODE = re.compile(r"^(0[1-9]|1\d|2[0-5])\d{2}$")
# Group sizes: the size of the group a row describes.
GROUP_SIZE = re.compile(r"^(n|n\d|n_.+|min_n|respondents|n_?respondents|group_n|base)$", re.I)
# Counts that are not group sizes (of regions, of solutions of an integer problem, of resamples).
NOT_GROUP_SIZES = frozenset({"n_regions", "n_solutions", "n_candidates", "n_resamples"})


COUNT_COLUMN = re.compile(r"^(count|k)(?:_(?P<suffix>.+)|(?P<digit>\d)(?:_(?:min|max))?)?$", re.I)
KNOWN_CATEGORIES = frozenset([*SCALE, *AGGREGATES])


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        col = f' column "{self.column}":' if self.column else ""
        return f"{where}:{col} {self.message}"


def _rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    return csv_rows(path, encoding="utf-8-sig")


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def smallest_group(derived: Path = paths.DERIVED, data_dir: Path = paths.DATA) -> tuple[int, str]:
    """The report's smallest published group: (size, how it was determined)."""
    counts = derived / "county_counts.csv"
    if counts.exists():
        cols, rows = _rows(counts)
        if "n" not in cols or "region" not in cols:
            raise ValueError(
                f"{relative_name(counts)}: expected columns 'region' and 'n' (the "
                "reconstructed respondents per region)"
            )
        sizes = [
            (int(float(r["n"])), r["region"])
            for _, r in rows
            if r["region"] != REGION_NATIONAL and _number(r["n"]) is not None
        ]
        if sizes:
            n, region = min(sizes)
            return n, f"smallest reconstructed n in {relative_name(counts)} ({region}: {n})"
    _, rows = _rows(data_dir / "counties.csv")
    per_region: dict[str, int] = {}
    for _, r in rows:
        per_region[r["region"]] = per_region.get(r["region"], 0) + int(r["municipalities"])
    region, n = min(per_region.items(), key=lambda kv: (kv[1], kv[0]))
    return n, f"fewest municipalities of a report region ({region}: {n})"


def check_table(path: Path, threshold: int, name: str | None = None) -> list[Problem]:
    name = name or relative_name(path)
    try:
        cols, rows = _rows(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        return [Problem(name, None, None, f"cannot read as UTF-8 CSV: {exc}")]
    probs: list[Problem] = []
    geo = [c for c in cols if GEO_COLUMN.match(c)]
    sizes = [c for c in cols if GROUP_SIZE.match(c) and c.lower() not in NOT_GROUP_SIZES]
    codes = [c for c in cols if CODE_COLUMN.search(c) and not c.lower().startswith("county")]
    for c in cols:
        if MUNICIPALITY_COLUMN.match(c):
            probs.append(
                Problem(
                    name,
                    1,
                    c,
                    "a municipality column: the report publishes no municipality-level figures",
                )
            )
    for line, row in rows:
        for c in geo:
            v = (row.get(c) or "").strip()
            if v and v not in ALLOWED_REGIONS:
                probs.append(
                    Problem(
                        name,
                        line,
                        c,
                        f"{v!r} is not one of the report's 20 "
                        "regions or Riket (municipality or county level?)",
                    )
                )
        for c, v in row.items():
            if c is not None and isinstance(v, str) and v.strip().lower() == "gotland":
                probs.append(
                    Problem(
                        name,
                        line,
                        c,
                        "Gotland as a group of its own; the report "
                        "reports it only within 'Stockholm samt Gotland'",
                    )
                )
        for c in codes:
            v = (row.get(c) or "").strip()
            if MUNICIPALITY_CODE.match(v):
                probs.append(Problem(name, line, c, f"{v!r} looks like a municipality code"))
        for c in sizes:
            n = _number(row.get(c) or "")
            if n is not None and 0 <= n < threshold:
                probs.append(
                    Problem(
                        name,
                        line,
                        c,
                        f"a group of {n:g} is smaller than the "
                        f"report's smallest published group ({threshold}); if "
                        f"{c!r} is not a group size, list it in "
                        "kommunenkat.inputs.privacy.NOT_GROUP_SIZES",
                    )
                )
    probs += check_category_sums(name, cols, rows)
    return probs


def _n_column(count_col: str, cols: list[str]) -> str | None:
    """The group-size column a count column is a part of (``k_to`` -> ``n_to``)."""
    m = COUNT_COLUMN.match(count_col)
    if not m:
        return None
    if m.group("digit"):
        candidates = [f"n{m.group('digit')}"]
    elif m.group("suffix"):
        candidates = [f"n_{m.group('suffix')}", f"n_{m.group('suffix')}_assumed"]
    else:
        candidates = ["n"]
    return next((c for c in candidates if c in cols), None)


def _is_bool(value: str) -> bool:
    return value.strip() in ("True", "False", "true", "false")


def check_category_sums(
    name: str, cols: list[str], rows: list[tuple[int, dict[str, str]]]
) -> list[Problem]:
    """Rule 4: counts of mutually exclusive categories of one group must not exceed its n."""
    if "category" not in cols:
        return []
    pairs = [(c, size) for c in cols if (size := _n_column(c, cols))]
    if not pairs:
        return []
    numeric = {c for c in cols if all(_number(r.get(c) or "") is not None for _, r in rows)}
    boolean = {c for c in cols if rows and all(_is_bool(r.get(c) or "") for _, r in rows)}
    keys = [c for c in cols if c != "category" and c not in numeric and c not in boolean]
    probs: list[Problem] = []
    for count_col, n_col in pairs:
        # Rows of one group: the same values in every key column and the same n.
        groups: dict[tuple[tuple[str | None, ...], float], list[tuple[int, str, float]]] = {}
        for line, r in rows:
            k, n = _number(r.get(count_col) or ""), _number(r.get(n_col) or "")
            if k is None or n is None:
                continue
            key = (tuple(r.get(c) for c in keys), n)
            groups.setdefault(key, []).append((line, (r.get("category") or "").strip(), k))
        for (_, n), members in groups.items():
            cats = {c for _, c, _ in members}
            if not cats <= KNOWN_CATEGORIES:
                continue  # categories of unknown exclusivity
            covered = {part for agg in cats & set(AGGREGATES) for part in AGGREGATES[agg]}
            used = [(line, c, k) for line, c, k in members if c not in covered]
            total = sum(k for _, _, k in used)
            if total > n:
                listed = " + ".join(f"{c} {k:g}" for _, c, k in used)
                probs.append(
                    Problem(
                        name,
                        used[0][0],
                        count_col,
                        f"counts of exclusive "
                        f"categories sum past their n: {listed} = {total:g} > "
                        f"{n_col} = {n:g}; no table of {n:g} answers has them",
                    )
                )
    return probs


@dataclass
class Report:
    threshold: int
    basis: str
    files: list[str]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        lines = [
            f"privacy: {len(self.files)} derived table(s) checked; smallest allowed group "
            f"{self.threshold} = {self.basis}"
        ]
        lines += [f"  ERROR {p}" for p in self.problems]
        lines.append("privacy: OK" if self.ok else f"privacy: {len(self.problems)} problem(s)")
        return "\n".join(lines)


def check(derived: Path | str = paths.DERIVED, data_dir: Path | str = paths.DATA) -> Report:
    derived, data_dir = Path(derived), Path(data_dir)
    try:
        threshold, basis = smallest_group(derived, data_dir)
    except ValueError as exc:
        return Report(0, "unknown", [], [Problem(str(exc).split(":")[0], None, None, str(exc))])
    files = sorted(derived.rglob("*.csv")) if derived.exists() else []
    problems = [p for f in files for p in check_table(f, threshold)]
    return Report(threshold, basis, [relative_name(f) for f in files], problems)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    report = check(argv[0]) if argv else check()
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
