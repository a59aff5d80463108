"""The round texts the prose glues: the 2023 edition's facts from the report, and a new round's
from its data rows (the synthetic round of tests/fixtures)."""

from __future__ import annotations

import pytest
from test_next_round import new_round  # noqa: F401  (fixture)

from kommunenkat import data, rounds_text


def test_texts_of_the_2023_edition_are_the_reports():
    """The report: 244 of 290 municipalities answered (84 %), published in December 2023; the
    series runs 2019–2023 and the scale changed after 2021 (footnote 1)."""
    t = rounds_text.round_texts()
    assert t["round-latest"] == "2023"
    assert t["period-change"] == "2022–2023"
    assert t["period-series"] == "2019–2023"
    assert t["round-new-scale"] == "2022"
    assert t["period-old-scale"] == "2019–2021"
    assert t["respondents-latest"] == "244"
    assert t["municipalities"] == "290"
    assert t["response-rate-latest"] == "84\u00a0%"
    assert t["report-latest"] == "Kommunenkät 2023"
    assert t["report-latest-date"] == "december 2023"


def test_texts_follow_a_new_round(new_round):  # noqa: F811
    t = rounds_text.round_texts()
    latest = data.latest_round()
    assert t["round-latest"] == str(latest) != "2023"
    assert t["period-change"] == f"2023–{latest}"
    assert t["period-series"] == f"2019–{latest}"
    assert t["respondents-latest"] == str(data.respondents(latest))


@pytest.mark.parametrize(
    ("date", "text"), [("2023-12-14", "december 2023"), ("2022-03-03", "mars 2022")]
)
def test_month_year(date, text):
    assert rounds_text.month_year(date) == text


def test_period_of_one_year_is_the_year():
    assert rounds_text.period(2023, 2023) == "2023"
