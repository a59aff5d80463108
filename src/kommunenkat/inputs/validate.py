"""Validation of ``data/`` against its schema (Frictionless) and against meaning.

Run as ``python -m kommunenkat.inputs.validate [DATA_DIR]`` (``make check-data``). Every problem
names the
file, the line and the field. Known inconsistencies of the *source report* are listed in
``data/known_inconsistencies.csv``: they are reported, not fatal. Anything else is an error and the
command exits non-zero. A listed inconsistency that no longer occurs is an error too, so the list
cannot hide anything.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import unicodedata
from dataclasses import dataclass, field
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

TOTAL_MUNICIPALITIES = 290


class DataError(ValueError):
    """Raised when data files do not validate; the message lists every problem."""


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str
    check: str = "schema"
    key: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        fld = f' field "{self.field}":' if self.field else ""
        return f"{where}:{fld} {self.message}"


@dataclass
class Report:
    errors: list[Problem] = field(default_factory=list)
    known: list[tuple[Problem, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        lines = [f"check-data: {len(self.files)} files checked: {', '.join(self.files)}"]
        if self.known:
            lines.append(f"{len(self.known)} known inconsistencies of the source (not fatal):")
            lines += [f"  known: {p}  [{why}]" for p, why in self.known]
        if self.errors:
            lines.append(f"{len(self.errors)} error(s):")
            lines += [f"  ERROR {p}" for p in self.errors]
        else:
            lines.append("check-data: OK")
        return "\n".join(lines)

    def raise_for_errors(self) -> None:
        if self.errors:
            raise DataError(self.summary())


# --------------------------------------------------------------------------- expected coverage
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
    for _, r in _rows(path):
        try:
            years.append(int(r["year"]))
        except (KeyError, ValueError):
            continue
    return sorted(years)


# --------------------------------------------------------------------------- helpers
def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _check_bytes(path: Path, name: str) -> list[Problem]:
    if not path.exists():
        return [Problem(name, None, None, "file is missing", "file")]
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        return [
            Problem(
                name,
                1,
                None,
                "starts with a UTF-8 byte-order mark (BOM); save as UTF-8 without BOM",
                "encoding",
            )
        ]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [
            Problem(
                name,
                line,
                None,
                f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at "
                f"offset {exc.start}); save the file as UTF-8",
                "encoding",
            )
        ]
    if path.suffix == ".csv":
        header = raw.decode("utf-8").split("\n", 1)[0]
        if header.count(";") >= 1 and header.count(";") > header.count(","):
            return [
                Problem(
                    name,
                    1,
                    None,
                    "the file uses ';' as separator (as Excel saves CSV with Swedish settings); "
                    "the data files use ','. Save it again as comma-separated UTF-8 (Excel: "
                    "'CSV UTF-8 (kommaavgränsad)'; LibreOffice: field separator ',') and "
                    "check that decimals use a point",
                    "encoding",
                )
            ]
    return []


def csv_rows(path: Path, encoding: str = "utf-8") -> tuple[list[str], list[tuple[int, dict]]]:
    """A CSV file's field names and its rows, each with the line number it starts on."""
    text = path.read_text(encoding=encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    out, start = [], 2
    for row in reader:
        out.append((start, row))
        start = reader.line_num + 1
    return list(reader.fieldnames or []), out


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    return csv_rows(path)[1]


def _package(descriptor: dict, data_dir: Path):
    """The whole data package, so that foreign keys between resources are checked too; None if
    its descriptor is unusable (each resource is then checked on its own and reports why)."""
    from frictionless import FrictionlessException, Package

    try:
        return Package(descriptor, basepath=str(data_dir))
    except FrictionlessException:
        return None


def _schema_problems(resource: dict, data_dir: Path, name: str, package=None) -> list[Problem]:
    from frictionless import Resource

    if package is not None and package.has_resource(resource["name"]):
        res = package.get_resource(resource["name"])
    else:
        res = Resource(resource, basepath=str(data_dir))
    report = res.validate()
    out = []
    fields = {f["name"]: f for f in resource.get("schema", {}).get("fields", [])}
    for err in report.flatten(["rowNumber", "fieldName", "type", "message", "note", "cell"]):
        row, fld, typ, message, note, cell = err
        if typ in ("encoding-error",):
            continue
        msg = note or message
        if typ == "primary-key":
            msg = f"duplicate row: {note}"
        elif typ in ("extra-cell", "missing-cell"):
            msg = f"malformed CSV ({typ}): {note or message}"
        elif typ in ("type-error", "constraint-error") and fld in fields and cell is not None:
            msg = explain_value(str(cell), fields[fld]) or msg
        out.append(Problem(name, row, fld, msg, "schema"))
    return out


def _show(value: str) -> str:
    """A value as the editor should see it: quoted, invisible differences made visible."""
    shown = repr(value)
    if unicodedata.normalize("NFC", value) != value:
        shown += " (written with combining characters)"
    return shown


def nearest(value: str, allowed: list[str]) -> tuple[str | None, str]:
    """The allowed value the editor most likely meant, and how the two differ."""
    if value.strip() in allowed and value != value.strip():
        where = "a trailing" if value.rstrip() != value else "a leading"
        return value.strip(), f"{where} space"
    nfc = unicodedata.normalize("NFC", value.strip())
    if nfc in allowed:
        return nfc, "Unicode normalisation: the same letters, composed differently (NFC vs NFD)"
    folded = {a.casefold(): a for a in allowed}
    if nfc.casefold() in folded:
        return folded[nfc.casefold()], "upper/lower case"
    import difflib

    close = difflib.get_close_matches(nfc, allowed, n=1, cutoff=0.6)
    return (close[0], "spelling") if close else (None, "")


def explain_value(value: str, fld: dict) -> str | None:
    """A plain message for a value that does not fit its field: the value and what would."""
    constraints = fld.get("constraints") or {}
    if fld.get("type") == "integer":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = None
        if number is not None and number.is_integer() and value.strip() != str(int(number)):
            return (
                f"{_show(value)} is not a whole number as written; write {int(number)} "
                "(no decimals)"
            )
        if number is None:
            return f"{_show(value)} is not a whole number"
    if "enum" in constraints:
        allowed = [str(a) for a in constraints["enum"]]
        if value in allowed:
            return None
        best, how = nearest(value, allowed)
        if best is not None:
            return (
                f"{_show(value)} is not allowed; nearest allowed value: {best!r} (differs by {how})"
            )
        return f"{_show(value)} is not allowed; allowed: " + ", ".join(map(repr, allowed))
    if value != value.strip():
        return f"{_show(value)} has a space at its start or end; write {value.strip()!r}"
    return None


def _whitespace_problems(path: Path, name: str, resource: dict) -> list[Problem]:
    """Text values with a space at the start or end: they look right and compare wrong."""
    out = []
    schema = resource.get("schema", {})
    keys = schema.get("primaryKey") or []
    # Identifying values (constrained or keys), not free text such as notes.
    strings = {
        f["name"]
        for f in schema.get("fields", [])
        if f.get("type") == "string"
        and (set(f.get("constraints") or {}) - {"required"} or f["name"] in keys)
    }
    for line, row in _rows(path):
        for key, value in row.items():
            if key in strings and isinstance(value, str) and value != value.strip():
                where = "ends" if value.rstrip() != value else "starts"
                out.append(
                    Problem(
                        name,
                        line,
                        key,
                        f"{_show(value)} {where} with a space; write {value.strip()!r}",
                        "schema",
                    )
                )
    return out


# --------------------------------------------------------------------------- meaning
def _series_figures(by_key) -> set[tuple[int, str]]:
    """(figure, question) pairs that are national series: only national rows, only series
    categories (the rule :func:`kommunenkat.inputs.data.national_series` uses)."""
    regions: dict[tuple[int, str], set] = {}
    cats: dict[tuple[int, str], set] = {}
    for fig, q, _year, region, cat in by_key:
        regions.setdefault((fig, q), set()).add(region)
        cats.setdefault((fig, q), set()).add(cat)
    allowed = {"high", "low", "dont_know", "unassigned_first", "unassigned_second"}
    return {fq for fq in regions if regions[fq] == {REGION_NATIONAL} and cats[fq] <= allowed}


def _meaning_rounds(path: Path, name: str) -> list[Problem]:
    """Per-round facts: respondents within the municipalities, the rate their rounded ratio,
    rounds in order, the scale never returning to an earlier one, the latest round's
    respondents known (the county tables need them)."""
    probs: list[Problem] = []
    rows = sorted(_rows(path), key=lambda lr: int(lr[1]["year"]))
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


def _meaning_report_figures(path: Path, name: str) -> list[Problem]:
    rows = _rows(path)
    probs: list[Problem] = []
    by_key: dict[tuple, tuple[int, int]] = {}
    edition: dict[tuple, int] = {}
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
        for key in sorted(exp_round - later_keys, key=str):
            probs.append(
                Problem(
                    name,
                    None,
                    None,
                    "missing row question={} year={} region={} category={}".format(*key),
                    "coverage",
                    "{}|{}|{}|{}".format(*key),
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

    def pct(fig, q, year, region, cat):
        return by_key.get((fig, q, year, region, cat))

    # County tables (every round's): distributions sum to 100, aggregates equal their parts
    # (within rounding).
    county_tables = sorted({(k[0], k[1], k[2]) for k in by_key if k[3] in REGIONS})
    for fig, q, year in county_tables:
        for region in [REGION_NATIONAL, *REGIONS]:
            parts = [pct(fig, q, year, region, c) for c in SCALE]
            if any(p is None for p in parts):
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
                cs = [pct(fig, q, year, region, c) for c in comps]
                if a is None or any(c is None for c in cs):
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
        parts = [by_key.get((fig, q, year, region, c)) for c in ("high", "low", "dont_know")]
        parts = [p for p in parts if p is not None]
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
    same = {}
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
    return probs


def meaning_counties(path: Path, name: str) -> list[Problem]:
    rows = _rows(path)
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


# --------------------------------------------------------------------------- main
# The checks of meaning each file's function makes (see known_inconsistencies.csv).
MEANING_CHECKS = {
    "report_figures": {"coverage", "distribution-sum", "aggregate", "series-sum", "cross-figure"},
    "counties": {"counties"},
}


def _known(data_dir: Path) -> dict[tuple[str, str], str]:
    path = data_dir / paths.KNOWN_INCONSISTENCIES.name
    if not path.exists():
        return {}
    return {(r["check"], r["key"]): r["explanation"] for _, r in _rows(path)}


def validate_all(data_dir: Path | str = paths.DATA) -> Report:
    data_dir = Path(data_dir)
    report = Report()
    dp_path = data_dir / "datapackage.json"
    try:
        descriptor = json.loads(dp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.errors.append(Problem(_rel(dp_path), None, None, f"cannot read: {exc}", "file"))
        return report
    problems: list[Problem] = []
    meaning = {
        "report_figures": _meaning_report_figures,
        "counties": meaning_counties,
        "rounds": _meaning_rounds,
    }
    not_checked: set[str] = set()  # checks of meaning that could not run (file errors first)
    package = _package(descriptor, data_dir)
    for resource in descriptor["resources"]:
        path = data_dir / resource["path"]
        name = _rel(path)
        report.files.append(name)
        found = _check_bytes(path, name)
        if not found:
            found = _schema_problems(resource, data_dir, name, package)
        if not found and not resource["path"].startswith("derived/"):
            found = _whitespace_problems(path, name, resource)
        if resource["name"] in meaning:
            if not found:
                found = meaning[resource["name"]](path, name)
            else:
                not_checked |= MEANING_CHECKS[resource["name"]]
        problems += found
    known = _known(data_dir)
    seen = set()
    for p in problems:
        k = (p.check, p.key)
        if k in known:
            report.known.append((p, known[k]))
            seen.add(k)
        else:
            report.errors.append(p)
    # A listed inconsistency whose check could not run is not reported as gone: the error that
    # stopped the check is the one to fix (and its file is named above).
    for k in sorted(k for k in set(known) - seen if k[0] not in not_checked):
        report.errors.append(
            Problem(
                _rel(data_dir / paths.KNOWN_INCONSISTENCIES.name),
                None,
                None,
                f"listed inconsistency {k[0]} {k[1]} no longer occurs; remove it from the list",
                "known-list",
            )
        )
    return report


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    report = validate_all(argv[0] if argv else paths.DATA)
    print(report.summary(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
