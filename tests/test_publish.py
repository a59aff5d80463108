import pandas as pd
import pytest

from kommunenkat import fmt, publish


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
    assert md.startswith(":::{table} Rubrik\n:name: tbl-x\n")
    collapsed = publish.table(pd.DataFrame({"a": [1]}), "Rubrik", "tbl-y", collapsed=True).data
    assert collapsed.startswith(":::::{dropdown} Data: Rubrik")


def test_glue_text_refuses_numbers():
    with pytest.raises(TypeError, match="preformatted text"):
        publish.glue_text("k", 0.19)


def test_number_check_prints_sorted(capsys):
    publish.number_check({"b": 2, "a": "1"})
    assert capsys.readouterr().out == "a = 1\nb = 2\n"


def test_tile_text_colour_has_the_better_contrast():
    from kommunenkat import figures

    assert figures.readable_text_colour("#ffffff") == "black"
    assert figures.readable_text_colour("#00204c") == "white"  # cividis dark end
    assert figures.readable_text_colour("#ffe945") == "black"  # cividis light end
    # WCAG reference: white has luminance 1, black 0.
    assert figures._relative_luminance((1, 1, 1)) == 1.0
    assert figures._relative_luminance((0, 0, 0)) == 0.0
