"""Validation of ``data/``: runs the schema checks and the checks of meaning on every file of the
data package and reports what they found (``make check-data``).

Run as ``python -m kommunenkat.inputs.validate [DATA_DIR]``. Each file is checked against its
schema first (:mod:`schema_checks`) and, where that passes, against meaning
(:mod:`meaning_checks`); every problem names the file, the line and the field
(:class:`~kommunenkat.inputs.problems.Problem`). Known inconsistencies of the *source report* are
listed in ``data/known_inconsistencies.csv``: they are reported, not fatal. Anything else is an
error and the command exits non-zero. A listed inconsistency that no longer occurs is an error too,
so the list cannot hide anything.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from kommunenkat.core import paths
from kommunenkat.inputs import meaning_checks, schema_checks
from kommunenkat.inputs.problems import Problem, numbered_rows, relative_name


class DataError(ValueError):
    """Raised when data files do not validate; the message lists every problem."""


@dataclass
class Report:
    """What :func:`validate_all` found: errors, known inconsistencies and the files checked."""

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


def _known(data_dir: Path) -> dict[tuple[str, str], str]:
    path = data_dir / paths.KNOWN_INCONSISTENCIES.name
    if not path.exists():
        return {}
    return {(r["check"], r["key"]): r["explanation"] for _, r in numbered_rows(path)}


def validate_all(data_dir: Path | str = paths.DATA) -> Report:
    """Check every file of the data package in ``data_dir`` (default ``data/``)."""
    data_dir = Path(data_dir)
    report = Report()
    dp_path = data_dir / "datapackage.json"
    try:
        descriptor = json.loads(dp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        report.errors.append(
            Problem(relative_name(dp_path), None, None, f"cannot read: {exc}", "file")
        )
        return report
    problems: list[Problem] = []
    meaning = {
        "report_figures": meaning_checks.meaning_report_figures,
        "counties": meaning_checks.meaning_counties,
        "rounds": meaning_checks.meaning_rounds,
    }
    not_checked: set[str] = set()  # checks of meaning that could not run (file errors first)
    package = schema_checks.load_package(descriptor, data_dir)
    for resource in descriptor["resources"]:
        path = data_dir / resource["path"]
        name = relative_name(path)
        report.files.append(name)
        found = schema_checks.check_bytes(path, name)
        if not found:
            found = schema_checks.schema_problems(resource, data_dir, name, package)
        if not found and not resource["path"].startswith("derived/"):
            found = schema_checks.whitespace_problems(path, name, resource)
        if resource["name"] in meaning:
            if not found:
                found = meaning[resource["name"]](path, name)
            else:
                not_checked |= meaning_checks.MEANING_CHECKS[resource["name"]]
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
                relative_name(data_dir / paths.KNOWN_INCONSISTENCIES.name),
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
