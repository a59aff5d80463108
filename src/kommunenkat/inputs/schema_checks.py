"""Checks of ``data/`` against its schema: the files' bytes and the Frictionless data package.

Each file must exist and be UTF-8 without a byte-order mark, with commas as separators
(:func:`check_bytes`); its rows must fit the schema of its resource in ``data/datapackage.json``,
foreign keys between resources included (:func:`schema_problems`, Frictionless); and identifying
text values must not start or end with a space (:func:`whitespace_problems`). A value that does
not fit its field is explained in plain words with the value the editor most likely meant
(:func:`explain_value`, :func:`nearest`). :mod:`validate` runs these checks first and the checks of
meaning (:mod:`meaning_checks`) only on files that pass them.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kommunenkat.inputs.problems import Problem, numbered_rows

if TYPE_CHECKING:
    from frictionless import Package


def check_bytes(path: Path, name: str) -> list[Problem]:
    """The file exists, is UTF-8 without a byte-order mark and, if a CSV file, separated by commas
    (the first problem found, or none)."""
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


def load_package(descriptor: dict[str, Any], data_dir: Path) -> Package | None:
    """The whole data package, so that foreign keys between resources are checked too; None if
    its descriptor is unusable (each resource is then checked on its own and reports why)."""
    from frictionless import FrictionlessException, Package

    try:
        return Package(descriptor, basepath=str(data_dir))
    except FrictionlessException:
        return None


def schema_problems(
    resource: dict[str, Any], data_dir: Path, name: str, package: Package | None = None
) -> list[Problem]:
    """The Frictionless validation of one resource (of ``package`` when it has the resource, so
    that its foreign keys are checked), each error as a plain message."""
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


def explain_value(value: str, fld: dict[str, Any]) -> str | None:
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


def whitespace_problems(path: Path, name: str, resource: dict[str, Any]) -> list[Problem]:
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
    for line, row in numbered_rows(path):
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
