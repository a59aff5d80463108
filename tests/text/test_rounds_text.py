"""The round texts the prose glues: the 2023 edition's facts from the report, and a new round's
from its data rows (the synthetic round of tests/fixtures)."""

from __future__ import annotations

import pytest

from kommunenkat.inputs import data
from kommunenkat.text import rounds_text
from tests.tooling.test_next_round import new_round  # noqa: F401  (fixture)


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


def test_method_texts_of_the_2023_edition_are_the_reports():
    """Report: respondents first published for 2023 (244 of 290); the only earlier rate is SKR's
    news item on the 2021 survey (82 %); the 2022 respondents are unpublished, so the headline
    change 2022→2023 assumes them."""
    t = rounds_text.round_texts()
    assert t["change-latest"] == "2022→2023"
    assert t["round-first-respondents"] == "2023"
    assert (t["round-outside-rate"], t["outside-response-rate"]) == ("2021", "82")
    assert (t["round-unknown-n"], t["period-unknown-n"]) == ("2022", "2022–2023")


def test_method_texts_follow_a_new_round(new_round):  # noqa: F811
    """With a round after 2023 the headline change moves on, but the round whose respondents
    are unknown stays 2022 (2023's are published) and the outside rate stays 2021's."""
    t = rounds_text.round_texts()
    latest = data.latest_round()
    assert t["change-latest"] == f"2023→{latest}"
    assert t["round-first-respondents"] == "2023"
    assert t["round-outside-rate"] == "2021"
    assert (t["round-unknown-n"], t["period-unknown-n"]) == ("2022", f"2022–{latest}")


def test_employer_support_was_not_asked_on_the_new_scale_before_2023():
    """Figure 10 of the report: the employer question has 2020, 2021 and 2023 but no 2022; the
    scale changed between 2021 and 2022 (footnote 1), so no change can be tested."""
    assert rounds_text.question_rounds("employer_support") == [2020, 2021, 2023]
    t = rounds_text.question_texts("employer_support", "e")
    assert (t["e-missing"], t["e-old-last"], t["e-new-first"]) == ("2022", "2021", "2023")
    assert t["e-change-note"] == (
        "Rapporten har inget värde för 2022, och tidigare år mättes med en annan svarsskala, "
        "så ingen förändring kan prövas."
    )
    # The questions with a 2022 value (figures 4, 6, 8) can be tested against it.
    t = rounds_text.question_texts("far_from_labour_market", "f")
    assert "f-missing" not in t
    assert t["f-change-note"] == "Frågan ställdes även 2022 med samma svarsskala."


def test_employer_support_can_be_tested_once_a_later_round_asks_it(new_round):  # noqa: F811
    t = rounds_text.question_texts("employer_support", "e")
    assert t["e-missing"] == "2022"
    assert (t["e-old-last"], t["e-new-first"]) == ("2021", "2023")
    assert t["e-change-note"] == "Frågan ställdes även 2023 med samma svarsskala."


@pytest.mark.parametrize(
    ("diff", "verb", "noun"),
    [
        (0.07, "ökade", "ökningen"),
        (-0.02, "minskade", "minskningen"),
        (0.0, "var oförändrad", "förändringen"),
    ],
)
def test_direction_words(diff, verb, noun):
    assert rounds_text.direction_words(diff) == {"verb": verb, "noun": noun}


def test_collaboration_became_more_positive_in_the_report():
    """Report figures 6 and 8: the positive shares rose from 42 % to 61 % (strategic) and from
    26 % to 50 % (operative), both significant in the book's tests; so the front page says
    "blivit mer positiva". A mixed or non-significant set gets no direction."""
    from kommunenkat.inference import analysis

    ch = analysis.changes(["strategic_collab", "operative_collab"])
    high = ch[ch["category"] == "high"]
    assert high["percent_from_printed"].tolist() == [42, 26]
    assert rounds_text.trend_words(high["diff"], high["significant"]) == {
        "became": "blivit mer positiva",
        "got": "har blivit bättre",
    }
    assert rounds_text.trend_words([-0.1, -0.2], [True, True])["became"] == "blivit mer negativa"
    assert rounds_text.trend_words([0.1, -0.2], [True, True])["got"] == (
        "har inte entydigt förändrats"
    )
    assert rounds_text.trend_words([0.1, 0.2], [True, False])["became"] == (
        "inte entydigt förändrats"
    )
    with pytest.raises(ValueError, match="one significance verdict per change"):
        rounds_text.trend_words([0.1], [True, True])


def test_clearer_and_chance_words():
    assert rounds_text.clearer_word(0.002, [0.017, 0.060]) == "tydligare"
    assert rounds_text.clearer_word(0.09, [0.017, 0.060]) == "mindre tydligt"
    assert rounds_text.clearer_word(0.03, [0.017, 0.060]) == "varken tydligare eller mindre tydligt"
    assert rounds_text.chance_words(0.125, 0.05) == "är inte ovanligt"
    assert rounds_text.chance_words(0.01, 0.05) == "är ovanligt"
