"""The front page's wording (kommunenkat.text.front_page) and the single homes of the words it
shares with the audit and the figures (number words, positive/negative)."""

from __future__ import annotations

import pandas as pd
import pytest

from kommunenkat.core import fmt
from kommunenkat.core.labels import side_word
from kommunenkat.inference import analysis
from kommunenkat.text import county_texts, front_page


def test_side_words():
    assert (side_word("high"), side_word("low")) == ("positiv", "negativ")
    assert side_word("high", inflected=True) == "positiva"
    assert side_word("low", inflected=True) == "negativa"
    with pytest.raises(KeyError):
        side_word("dont_know")


@pytest.mark.parametrize(
    ("n", "kwargs", "word"),
    [
        (0, {}, "ingen"),
        (1, {}, "en"),
        (2, {}, "två"),
        (6, {}, "sex"),
        (7, {}, "7"),
        (0, {"neuter": True}, "inget"),
        (1, {"neuter": True}, "ett"),
        (3, {"capital": True}, "Tre"),
        (0, {"capital": True}, "Ingen"),
        (2, {"up_to": 1}, "2"),
        (-1, {}, "-1"),
    ],
)
def test_number_word(n, kwargs, word):
    assert fmt.number_word(n, **kwargs) == word


def test_number_word_reproduces_the_three_maps_it_replaces():
    # figures._COUNT_WORDS (0-6, capitalised), claims.NUMBER_WORDS (1-6) and county_texts'
    # {1: "ett"}: the same words for every count they were used with.
    figures = {0: "Ingen", 1: "En", 2: "Två", 3: "Tre", 4: "Fyra", 5: "Fem", 6: "Sex"}
    claims = {1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}
    for n in range(0, 12):
        assert fmt.number_word(n, capital=True) == figures.get(n, str(n))
        assert n == 0 or fmt.number_word(n, neuter=True, up_to=1) == {1: "ett"}.get(n, str(n))
    for n in range(1, 12):
        assert fmt.number_word(n) == str(claims.get(n, n))


def test_county_summary_names_both_shares_of_a_county_singled_out_twice(monkeypatch):
    tests = pd.DataFrame(
        {
            "question": ["operative_collab", "operative_collab", "strategic_collab"],
            "category": ["high", "low", "high"],
            "singled_out": ["Skåne", "Skåne", ""],
        }
    )
    monkeypatch.setattr(analysis, "county_tests", lambda: tests)
    monkeypatch.setattr(county_texts, "homogeneity_counts", lambda: {"lan-test": "3"})
    texts = front_page.county_summary_texts()
    assert list(texts) == [
        "lan-jamforelser",
        "lan-test",
        "lan-avvikande-antal",
        "lan-avvikande",
        "lan-avvikande-fragor",
    ]
    assert texts["lan-jamforelser"] == "60"  # 3 tests x 20 counties
    assert texts["lan-avvikande-antal"] == "2"
    both = "Skåne i fråga om operativ samverkan (positiv och negativ andel)"
    assert texts["lan-avvikande"] == both
    assert texts["lan-avvikande-fragor"] == "operativ samverkan"


def test_county_summary_without_a_county_singled_out(monkeypatch):
    tests = pd.DataFrame(
        {"question": ["strategic_collab"], "category": ["low"], "singled_out": [""]}
    )
    monkeypatch.setattr(analysis, "county_tests", lambda: tests)
    monkeypatch.setattr(county_texts, "homogeneity_counts", dict)
    texts = front_page.county_summary_texts()
    assert texts["lan-avvikande"] == "inget län"
    assert texts["lan-avvikande-fragor"] == "ingen fråga"
