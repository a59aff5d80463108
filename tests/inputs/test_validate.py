"""make check-data: the shipped data passes; each corruption fails with file, line and field."""

import subprocess
import sys

import pytest

from kommunenkat.inputs import meaning_checks, validate


def test_shipped_data_is_valid():
    report = validate.validate_all()
    assert report.ok, report.summary()
    # The source's own contradictions are reported, not hidden.
    assert {p.check for p, _ in report.known} == {"series-sum", "cross-figure"}


def _replace_line(path, lineno, new):
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[lineno - 1] = new
    path.write_text("".join(lines), encoding="utf-8")


def _errors(data_dir):
    report = validate.validate_all(data_dir)
    assert not report.ok
    return [str(e) for e in report.errors]


def _line(path, startswith):
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith(startswith):
            return i, line
    raise AssertionError(startswith)


ROW = "12,2023,far_from_labour_market,2023,Kronoberg,very_low,"


# One field of the Kronoberg row broken (old -> new): one error names the file's line and says,
# in every one of the expected words, which field is wrong and why.
BROKEN_FIELDS = {
    "percent-out-of-range": (ROW + "71,", ROW + "171,", ['field "percent"', "maximum"]),
    "percent-not-a-number": (ROW + "71,", ROW + "sjuttio,", ['field "percent"']),
    "decimal-where-a-whole-number-belongs": (
        ROW + "71,",
        ROW + "71.0,",
        ["'71.0' is not a whole number as written; write 71"],
    ),
    "unknown-county": ("Kronoberg", "Atlantis", ['field "region"']),
    # Region values that are nearly right show the value and the nearest allowed one.
    "region-trailing-space": (
        "Kronoberg",
        "Kalmar ",
        [
            'field "region"',
            "'Kalmar ' is not allowed; nearest allowed value: 'Kalmar' (differs by a trailing",
        ],
    ),
    "region-leading-space": (
        "Kronoberg",
        " Kalmar",
        ['field "region"', "nearest allowed value: 'Kalmar' (differs by a leading space)"],
    ),
    "region-unicode-form": (
        "Kronoberg",
        "V\u0061\u0308stra G\u006f\u0308taland",
        ['field "region"', "nearest allowed value: 'Västra Götaland' (differs by Unicode"],
    ),
    "region-case": (
        "Kronoberg",
        "kalmar",
        ['field "region"', "nearest allowed value: 'Kalmar' (differs by upper/lower case)"],
    ),
    "region-spelling": (
        "Kronoberg",
        "Kalmr",
        ['field "region"', "nearest allowed value: 'Kalmar' (differs by spelling)"],
    ),
}


@pytest.mark.parametrize("old, new, shown", BROKEN_FIELDS.values(), ids=BROKEN_FIELDS.keys())
def test_broken_field_is_named_at_its_line(data_copy, old, new, shown):
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, line.replace(old, new) + "\n")
    errs = _errors(data_copy)
    assert any(f"report_figures.csv:{n}:" in e and all(w in e for w in shown) for e in errs), errs


def test_duplicated_row(data_copy):
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    f.write_text(f.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    errs = _errors(data_copy)
    assert any("duplicate row" in e for e in errs), errs


def test_missing_row(data_copy):
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, "")
    errs = _errors(data_copy)
    assert any(
        "missing row figure=12" in e and "Kronoberg" in e and "very_low" in e for e in errs
    ), errs


def test_distribution_not_summing(data_copy):
    f = data_copy / "report_figures.csv"
    n, line = _line(f, "12,2023,far_from_labour_market,2023,Kronoberg,fairly_low,")
    _replace_line(f, n, line.replace(",29,", ",49,") + "\n")
    errs = _errors(data_copy)
    assert any("figure 12, Kronoberg" in e and "sum to 120" in e for e in errs), errs


def test_wrong_year(data_copy):
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, line.replace("market,2023,", "market,2022,") + "\n")
    errs = _errors(data_copy)
    assert any(
        f"report_figures.csv:{n}:" in e and "unexpected row" in e and "year=2022" in e for e in errs
    ), errs
    assert any("missing row figure=12" in e and "year=2023" in e for e in errs), errs


def test_edition_must_be_a_round_not_older_than_its_row(data_copy):
    """The edition (which report printed a row) is checked provenance, not a key."""
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, line.replace("12,2023,", "12,2030,", 1) + "\n")
    errs = _errors(data_copy)
    assert any(
        f"report_figures.csv:{n}:" in e and "edition 2030 is not a survey round" in e for e in errs
    ), errs
    _replace_line(f, n, line.replace("12,2023,", "12,2022,", 1) + "\n")
    errs = _errors(data_copy)
    assert any(
        f"report_figures.csv:{n}:" in e and "edition 2022 is older than the row's year 2023" in e
        for e in errs
    ), errs


def test_edition_column_is_declared_and_required(data_copy):
    import json

    pkg = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in pkg["resources"] if r["name"] == "report_figures")
    fields = {fd["name"]: fd for fd in res["schema"]["fields"]}
    assert fields["edition"]["type"] == "integer" and fields["edition"]["constraints"]["required"]
    assert "edition" not in res["schema"]["primaryKey"]
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, line.replace("12,2023,", "12,,", 1) + "\n")
    errs = _errors(data_copy)
    assert any(f"report_figures.csv:{n}:" in e and 'field "edition"' in e for e in errs), errs


def test_malformed_csv(data_copy):
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, line.rstrip("\n") + ",extra,cells\n")
    errs = _errors(data_copy)
    assert any(f"report_figures.csv:{n}:" in e and "malformed CSV" in e for e in errs), errs


def test_wrong_encoding(data_copy):
    f = data_copy / "counties.csv"
    f.write_bytes(f.read_text(encoding="utf-8").encode("latin-1"))
    errs = _errors(data_copy)
    assert any("counties.csv:" in e and "not valid UTF-8" in e for e in errs), errs


def test_bom(data_copy):
    f = data_copy / "counties.csv"
    f.write_bytes(b"\xef\xbb\xbf" + f.read_bytes())
    errs = _errors(data_copy)
    assert any("counties.csv:1:" in e and "byte-order mark" in e for e in errs), errs


def test_municipalities_must_sum_to_290(data_copy):
    f = data_copy / "counties.csv"
    n, line = _line(f, "07,Kronoberg,8,")
    _replace_line(f, n, line.replace(",8,", ",9,") + "\n")
    errs = _errors(data_copy)
    assert any("sum to 291, not 290" in e for e in errs), errs


def test_stale_known_inconsistency_is_an_error(data_copy):
    f = data_copy / "known_inconsistencies.csv"
    f.write_text(
        f.read_text(encoding="utf-8") + "aggregate,12|Uppsala|high,påhittad\n", encoding="utf-8"
    )
    errs = _errors(data_copy)
    assert any("no longer occurs" in e for e in errs), errs


@pytest.mark.parametrize("broken", [False, True])
def test_command_exit_code(data_copy, broken):
    if broken:
        f = data_copy / "counties.csv"
        f.write_text(
            f.read_text(encoding="utf-8").replace(
                "Gotland,1,Stockholm samt Gotland", "Gotland,1,Gotland"
            ),
            encoding="utf-8",
        )
    proc = subprocess.run(
        [sys.executable, "-m", "kommunenkat.inputs.validate", str(data_copy)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == (1 if broken else 0), proc.stdout + proc.stderr
    if broken:
        assert "counties.csv" in proc.stderr and 'field "region"' in proc.stderr


def test_every_data_file_is_described_in_the_datapackage():
    import json

    from kommunenkat.core import paths

    described = {r["path"] for r in json.loads(paths.DATAPACKAGE.read_text("utf-8"))["resources"]}
    on_disk = {str(p.relative_to(paths.DATA)) for p in paths.DATA.rglob("*.csv")}
    assert on_disk == described


@pytest.mark.slow  # recomputes every derived table (about 50 s)
def test_derived_files_are_current():
    from kommunenkat.tooling import derive

    assert derive.stale() == [], "run `make derive` and commit data/derived/"


# ----------------------------------------------------------------- mistakes of a spreadsheet user
def test_semicolon_csv_is_named_not_a_keyerror(data_copy):
    f = data_copy / "counties.csv"
    f.write_text(f.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    errs = _errors(data_copy)
    assert any(
        e.startswith(f"{f}:1: the file uses ';' as separator")
        or "counties.csv:1: the file uses ';'" in e
        for e in errs
    ), errs


def test_schema_error_gives_no_follow_on_known_list_errors(data_copy):
    """A broken report_figures.csv must not make its listed inconsistencies 'no longer occur'."""
    f = data_copy / "report_figures.csv"
    n, line = _line(f, ROW)
    _replace_line(f, n, line.replace(ROW + "71,", ROW + "sjuttio,") + "\n")
    errs = _errors(data_copy)
    assert any(f"report_figures.csv:{n}:" in e for e in errs), errs
    assert not [e for e in errs if "no longer occurs" in e], errs


def test_trailing_space_cannot_hide_a_wrong_county_mapping(data_copy):
    """'Gotland ' -> Uppsala used to pass: the Gotland rule compared the name exactly."""
    f = data_copy / "counties.csv"
    text = f.read_text(encoding="utf-8")
    assert "Gotland,1,Stockholm samt Gotland" in text
    f.write_text(
        text.replace("Gotland,1,Stockholm samt Gotland", "Gotland ,1,Uppsala"), encoding="utf-8"
    )
    errs = _errors(data_copy)
    assert any("field \"county\": 'Gotland ' ends with a space" in e for e in errs), errs


def test_gotland_rule_ignores_spaces_and_unicode_form(tmp_path):
    """The meaning check alone (no whitespace check before it) still finds Gotland -> Uppsala."""
    f = tmp_path / "counties.csv"
    f.write_text(
        "county_code,county,municipalities,region\n09,Gotland ,1,Uppsala\n", encoding="utf-8"
    )
    probs = meaning_checks.meaning_counties(f, "counties.csv")
    assert any(
        p.line == 2 and "Gotland must be reported with Stockholm" in p.message for p in probs
    )
