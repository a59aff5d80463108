"""The alt text of the method chapter's sensitivity figure is computed from the p-values."""

import pandas as pd

from kommunenkat.inference import analysis, change_tests
from kommunenkat.inputs import data
from kommunenkat.text import sensitivity_text


def _line(question, category, p_values, diff=0.1):
    prev = data.previous_comparable_round(data.latest_round())
    return pd.DataFrame(
        {
            "question": question,
            "category": category,
            "year_from": prev,
            "n1": range(150, 150 + len(p_values)),
            "p_value_max": p_values,
            "diff_min": diff,
            "diff_max": diff + 0.02,
        }
    )


def test_lines_are_grouped_by_where_they_lie_against_alpha():
    sens = pd.concat(
        [
            _line("strategic_collab", "high", [0.001, 0.01, 0.049]),
            _line("far_from_labour_market", "high", [0.03, 0.05, 0.2]),
            _line("operative_collab", "low", [0.05, 0.5, float("nan")], diff=-0.2),
        ]
    )
    groups = change_tests.sensitivity_groups(sens, 0.05)
    assert groups == {
        "under": [("strategic_collab", "high")],
        "crosses": [("far_from_labour_market", "high")],
        "over": [("operative_collab", "low")],
    }
    alt = sensitivity_text.sensitivity_alt(sens, 0.05)
    assert "En linje ligger under femprocentsgränsen i hela intervallet: ökningen av den " in alt
    assert "En linje korsar gränsen: ökningen av den positiva andelen för fördjupat stöd." in alt
    assert "ligger över gränsen i hela intervallet: minskningen av den negativa andelen för " in alt
    # A p-value exactly at alpha is not below it: all at 0.05 is "over", never "under".
    at_alpha = _line("strategic_collab", "low", [0.05, 0.05])
    assert change_tests.sensitivity_groups(at_alpha, 0.05)["over"] == [("strategic_collab", "low")]


def test_alt_text_names_no_group_that_is_empty():
    sens = _line("strategic_collab", "high", [0.2, 0.3])
    alt = sensitivity_text.sensitivity_alt(sens, 0.05)
    assert "korsar" not in alt and "under" not in alt
    # The only sentence about the lines names the limit itself, not "gränsen" of nothing.
    assert "En linje ligger över femprocentsgränsen i hela intervallet" in alt


def test_alt_text_of_the_book_agrees_with_the_p_values():
    """On the book's data: every line said to lie below has every p-value below alpha, every
    line said to cross has some below and some not, and all six lines are named."""
    sens = analysis.sensitivity_table()
    prev = data.previous_comparable_round(data.latest_round())
    sens = sens[sens["year_from"] == prev]
    groups = change_tests.sensitivity_groups(sens, analysis.ALPHA)
    assert sum(len(v) for v in groups.values()) == 2 * len(analysis.CHANGE_QUESTIONS)
    for where, keys in groups.items():
        for q, c in keys:
            p = sens[(sens["question"] == q) & (sens["category"] == c)]["p_value_max"].dropna()
            below = p < analysis.ALPHA
            expected = "under" if below.all() else "over" if not below.any() else "crosses"
            assert where == expected, (q, c)
