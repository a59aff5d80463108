"""Rules every resource of data/datapackage.json follows, including resources added later.

A re-user reads the package without the book's code, so the schema itself must say what each
field is and how to read it:

- every resource has a title, a description and a primary key; every field has a type and a title;
- a field whose values are all whole numbers is typed integer (not number);
- one field name has one type in the whole package (no boolean in one file and text in another);
- a foreign key points at the primary key of an existing resource, and the package validates
  with its foreign keys checked (kommunenkat.inputs.validate);
- county_code is text with its leading zero, and the book's own loader keeps it.
"""

from __future__ import annotations

import csv
import json
import re
import shutil

import pytest

from kommunenkat.core import paths
from kommunenkat.inputs import data
from kommunenkat.inputs.validate import validate_all

PACKAGE = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
RESOURCES = PACKAGE["resources"]
BY_NAME = {r["name"]: r for r in RESOURCES}


def _rows(resource: dict) -> list[dict[str, str]]:
    with open(paths.DATA / resource["path"], encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_resource_and_every_field_are_described(resource):
    assert resource.get("title", "").strip(), f"{resource['name']}: no title"
    assert resource.get("description", "").strip(), f"{resource['name']}: no description"
    assert not resource["path"].startswith(("/", "..")) and ".." not in resource["path"].split("/")
    fields = resource["schema"]["fields"]
    untitled = [f["name"] for f in fields if not str(f.get("title", "")).strip()]
    assert not untitled, f"{resource['name']}: fields without a title: {untitled}"
    untyped = [f["name"] for f in fields if "type" not in f]
    assert not untyped, f"{resource['name']}: fields without a type: {untyped}"


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_resource_declares_a_primary_key(resource):
    key = resource["schema"].get("primaryKey")
    assert key, f"{resource['name']}: no primaryKey"
    key = [key] if isinstance(key, str) else key
    names = {f["name"] for f in resource["schema"]["fields"]}
    assert set(key) <= names, f"{resource['name']}: primaryKey {key} names unknown fields"


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_whole_numbers_are_typed_integer(resource):
    rows = _rows(resource)
    whole = []
    for f in resource["schema"]["fields"]:
        if f["type"] != "number":
            continue
        values = [r[f["name"]] for r in rows if r[f["name"]] != ""]
        if values and all(float(v).is_integer() for v in values):
            whole.append(f["name"])
    assert not whole, (
        f"{resource['name']}: fields typed number hold only whole numbers, type them integer "
        f"(pandas then reads them as integers too): {whole}"
    )


def test_one_type_per_field_name():
    types: dict[str, set[tuple[str, str]]] = {}
    for r in RESOURCES:
        for f in r["schema"]["fields"]:
            types.setdefault(f["name"], set()).add((f["type"], r["name"]))
    mixed = {name: sorted(found) for name, found in types.items() if len({t for t, _ in found}) > 1}
    assert not mixed, f"one field name, several types (rename one of them): {mixed}"


def test_foreign_keys_point_at_primary_keys():
    for r in RESOURCES:
        for fk in r["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            target = BY_NAME.get(ref["resource"])
            assert target, f"{r['name']}: foreign key to unknown resource {ref['resource']!r}"
            pk = target["schema"]["primaryKey"]
            pk = [pk] if isinstance(pk, str) else pk
            assert list(ref["fields"]) == list(pk), (
                f"{r['name']}: foreign key {fk['fields']} must reference the primary key "
                f"{pk} of {target['name']}, not {ref['fields']}"
            )


def test_foreign_keys_are_declared():
    # The derived files that repeat another file's key refer to it.
    declared = {
        (r["name"], fk["reference"]["resource"])
        for r in RESOURCES
        for fk in r["schema"].get("foreignKeys", [])
    }
    assert {("claims_audit", "claims"), ("county_counts", "county_response")} <= declared


def test_a_broken_foreign_key_is_an_error_with_file_and_line(tmp_path):
    data_copy = tmp_path / "data"
    shutil.copytree(paths.DATA, data_copy)
    audit = data_copy / "derived" / "claims_audit.csv"
    lines = audit.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith("C01,")
    lines[1] = "C999," + lines[1][len("C01,") :]
    audit.write_text("\n".join(lines), encoding="utf-8")
    errors = [str(e) for e in validate_all(data_copy).errors]
    assert any(e.startswith(f"{audit}:2:") and '"C999"' in e and "claims" in e for e in errors), (
        errors
    )


def test_county_code_keeps_its_leading_zero():
    (field,) = [f for f in BY_NAME["counties"]["schema"]["fields"] if f["name"] == "county_code"]
    assert field["type"] == "string"
    assert 'dtype={"county_code": str}' in field["description"]
    raw = [r["county_code"] for r in _rows(BY_NAME["counties"])]
    assert raw[0] == "01" and all(re.fullmatch(r"\d{2}", c) for c in raw)
    assert data.counties()["county_code"].tolist() == raw
