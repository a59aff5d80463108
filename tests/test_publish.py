import pandas as pd

from kommunenkat import fmt, publish


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
