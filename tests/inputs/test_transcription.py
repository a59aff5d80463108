"""The transcription in data/report_figures.csv against the source text of the report.

The county tables (figures 12–15) are parsed from the report's plain text (the extraction in
../shared/seed when present, otherwise its committed copy data/report_text.csv), independently of
the code that wrote the CSV, and compared number by number. Values that only the prose states
are checked for being present in the text as printed.
"""

import re
from pathlib import Path

import pytest

from kommunenkat.audit import scan
from kommunenkat.core import paths
from kommunenkat.core.labels import AGGREGATES, SCALE, SCALE_QUESTIONS
from kommunenkat.inputs import data

SEED_DIR = paths.ROOT.parent / "shared" / "seed"
SEEDS = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.exists() else []

COLUMNS = SCALE + list(AGGREGATES)
ROW = re.compile(r"^\s*(Samtliga kommuner 2023|[A-ZÅÄÖ][^\d]+?)\s+((?:\d+\s+){7}\d+)\s*$")


def _seed() -> str:
    """The report's text: the extraction if present, else its committed copy (data/)."""
    if SEEDS:
        return Path(SEEDS[0]).read_text(encoding="utf-8")
    return "\n".join(scan.text_lines())


def _parse_county_table(text: str, figure: int) -> dict[str, list[int]]:
    start = text.index(f"Figur {figure}.")
    nxt = re.search(r"Figur \d+\.|Brister i arbetsmarknadspolitiken", text[start + 10 :])
    block = text[start : start + 10 + nxt.start()]
    rows = {}
    for line in block.splitlines():
        m = ROW.match(line)
        if m:
            name = "Riket" if m.group(1).startswith("Samtliga") else m.group(1).strip()
            rows[name] = [int(v) for v in m.group(2).split()]
    return rows


@pytest.mark.parametrize("question", list(SCALE_QUESTIONS))
def test_county_tables_match_the_source_text(question):
    fig = SCALE_QUESTIONS[question]["county"]
    parsed = _parse_county_table(_seed(), fig)
    assert len(parsed) == 21, sorted(parsed)
    table = data.county_table(question)
    for region, values in parsed.items():
        assert table.loc[region, COLUMNS].astype(int).tolist() == values, (fig, region)


def test_chart_labels_are_in_the_source_text():
    """Each year's label of figures 4, 6, 8 and 10 appears as printed ("13%") in the text."""
    text = _seed()
    d = data.report_figures()
    series = d[d["figure"].isin([4, 6, 8, 10]) & (d["category"] != "dont_know")]
    for _, r in series.iterrows():
        assert f"{r['percent']}%" in text, r.to_dict()


def test_prose_values_are_in_the_source_text():
    text = re.sub(r"\s+", " ", _seed())
    d = data.report_figures()
    for _, r in d[d["figure"].isin([1, 2, 3, 5])].iterrows():
        assert (
            re.search(rf"\b{r['percent']}( procent|%)", text) or f"{r['percent']} till" in text
        ), r.to_dict()
