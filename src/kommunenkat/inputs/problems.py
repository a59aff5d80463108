"""What a check of ``data/`` reports and how it reads the files it cites.

A :class:`Problem` names the file, the line, the field and what is wrong; :func:`csv_rows` reads a
CSV file with the line each row starts on, so that every problem can point at it; and
:func:`relative_name` names a file relative to the project, as every message does. Used by the
schema checks (:mod:`schema_checks`), the checks of meaning (:mod:`meaning_checks`), the command
that runs both (:mod:`validate`) and the privacy check (:mod:`privacy`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from kommunenkat.core import paths


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


def relative_name(path: Path) -> str:
    """``path`` relative to the project's root (as messages name files), else as given."""
    try:
        return str(path.resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def csv_rows(
    path: Path, encoding: str = "utf-8"
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """A CSV file's field names and its rows, each with the line number it starts on."""
    text = path.read_text(encoding=encoding)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    out, start = [], 2
    for row in reader:
        out.append((start, row))
        start = reader.line_num + 1
    return list(reader.fieldnames or []), out


def numbered_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """A UTF-8 CSV file's rows, each with the line number it starts on."""
    return csv_rows(path)[1]
