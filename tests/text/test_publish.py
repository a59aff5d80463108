import re

import pandas as pd
import pytest

from kommunenkat.core import fmt
from kommunenkat.text import publish


def test_markdown_table_aligns_numbers_right_and_text_left():
    df = pd.DataFrame(
        {
            "Län": ["Skåne", "Halland"],
            "Andel": [fmt.pct(86), fmt.pct(0)],
            "Antal": [24, 0],
            "Not": ["a|b", "–"],
        }
    )
    lines = publish.markdown_table(df, index=False).splitlines()
    assert lines[0] == "| Län | Andel | Antal | Not |"
    assert lines[1] == "|:--|--:|--:|:--|"
    assert lines[2] == "| Skåne | 86\u00a0% | 24 | a\\|b |"


def test_table_is_a_numbered_myst_table_with_caption_and_name():
    md = publish.table(pd.DataFrame({"a": [1]}), "Rubrik", "tbl-x", index=False).data
    assert ":::{table} Rubrik\n:name: tbl-x\n" in md
    collapsed = publish.table(pd.DataFrame({"a": [1]}), "Rubrik", "tbl-y", collapsed=True).data
    assert collapsed.startswith(":::::{dropdown} Data: Rubrik")


def test_glue_text_refuses_numbers():
    with pytest.raises(TypeError, match="preformatted text"):
        publish.glue_text("k", 0.19)


def test_number_check_prints_sorted(capsys):
    publish.number_check({"b": 2, "a": "1"})
    assert capsys.readouterr().out == "a = 1\nb = 2\n"


def test_tile_text_colour_has_the_better_contrast():
    from kommunenkat.graphics import style

    assert style.readable_text_colour("#ffffff") == "black"
    assert style.readable_text_colour("#00204c") == "white"  # cividis dark end
    assert style.readable_text_colour("#ffe945") == "black"  # cividis light end
    # WCAG reference: white has luminance 1, black 0.
    assert style.relative_luminance((1, 1, 1)) == 1.0
    assert style.relative_luminance((0, 0, 0)) == 0.0


def test_table_aligns_numbers_right_and_text_left():
    df = pd.DataFrame(
        {
            "År": [2022, 2023],
            "Insats": ["Skriva in sig", "Hantera sitt ärende"],
            "Andel": [fmt.pct(88), fmt.pct(91)],
        }
    )
    align = publish.markdown_table(df, index=False).splitlines()[1]
    assert align == "|--:|:--|--:|"


def test_table_escapes_pipes():
    text = publish.markdown_table(pd.DataFrame({"a": ["x|y"]}), index=False)
    assert "x\\|y" in text


def test_pdf_columns_keep_numbers_at_natural_width():
    df = pd.DataFrame({"År": [2023], "Insats": ["Skriva in sig"], "Andel": [fmt.pct(88)]})
    assert publish.latex_columns(df, index=False) == "rLr"
    text = publish.table(df, "Rubrik", "tbl-x", index=False).data
    assert text.startswith(":::{tabularcolumns} rLr\n:::\n")


def test_long_tables_get_longtable_column_widths():
    """Tables above LONGTABLE_ROWS rows are longtables (tabulary's L would stop xelatex)."""
    assert publish.LONGTABLE_ROWS < 30
    df = pd.DataFrame({"Id": [f"C{i}" for i in range(40)], "Antal": range(40)})
    spec = publish.latex_columns(df, index=False)
    assert spec == "lr"  # short columns at their natural width
    assert "L" not in spec


def test_long_tables_share_the_width_by_text_length_ragged_right():
    """The claims audit's shape: the long explanation gets the widest column, none is justified,
    and the shares with the fixed columns fill the line without running past it."""
    n = 40
    df = pd.DataFrame(
        {
            "Id": [f"C{i:02d}" for i in range(n)],
            "Citat": ["ett kort citat ur rapporten med några ord till"] * n,
            "Bedömning": ["kan inte kontrolleras"] * n,
            "Förklaring": ["en lång förklaring av varför bedömningen blev som den blev " * 3] * n,
        }
    )
    spec = publish.latex_columns(df, index=False)
    shares = [float(x) for x in re.findall(r"\\Y\{([\d.]+)\}", spec)]
    assert spec.startswith("l>") and spec.count("\\raggedright") == 3, spec
    assert len(shares) == 3 and shares[2] == max(shares) and shares[2] > 2 * shares[1], shares
    fixed = (3 * publish.CHAR_PT[False] + publish.TABCOLSEP_PT) / publish.LINE_PT
    assert 0.9 < sum(shares) + fixed <= 1.0


def test_long_tables_may_break_across_pages():
    """Above LONGTABLE_ROWS rows the table is a longtable in the PDF (Sphinx's own limit is 30),
    so a county table after a short section does not leave a near-empty page."""
    short = pd.DataFrame({"Län": ["A"] * publish.LONGTABLE_ROWS, "n": [1] * publish.LONGTABLE_ROWS})
    long = pd.DataFrame({"Län": ["A"] * 20, "n": [1] * 20})
    assert ":class: longtable" not in publish.table(short, "R", "tbl-a", index=False).data
    assert ":class: longtable" in publish.table(long, "R", "tbl-b", index=False).data


@pytest.mark.parametrize("raw", [0.125, 62.5, float("nan")])
def test_table_refuses_unformatted_floats(raw):
    """A float cell would bypass fmt's rounding (62.5 would show as '62.5', not '63 %')."""
    df = pd.DataFrame({"Län": ["Uppsala"], "Andel": [raw]})
    with pytest.raises(TypeError, match="unformatted number.*kommunenkat.core.fmt"):
        publish.markdown_table(df, index=False)
    assert "63\u00a0%" in publish.markdown_table(df.assign(Andel=[fmt.pct(62.5)]), index=False)
