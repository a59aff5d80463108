"""Data-dependent words of the prose (kommunenkat.text.wording): computed verbs, and typed sentences
whose truth the data must still support."""

from kommunenkat.text import rounds_text, wording


def test_direction_words_follow_the_sign():
    assert wording.change_verb(0.067) == "ökade"
    assert wording.change_verb(-0.035) == "minskade"
    assert wording.change_verb(-2, "steg", "sjönk") == "sjönk"
    assert wording.change_verb(3, "steg", "sjönk") == "steg"
    assert wording.change_verb(0) == "förändrades inte"
    assert wording.change_verb(0, none="var oförändrad") == "var oförändrad"
    assert wording.change_noun(0.1) == "ökningen"
    assert wording.change_noun(-0.1, capital=True) == "Minskningen"
    assert wording.comparison(0.6, 0.4) == "högre"
    assert wording.comparison(0.4, 0.6) == "lägre"
    assert wording.comparison(0.5, 0.5) == "lika hög"


def test_the_round_before_is_named_unless_it_is_the_year_before():
    assert wording.round_before_phrase(2022, 2023) == "Året innan"
    assert wording.round_before_phrase(2021, 2023) == "År 2021"
    assert wording.round_before_phrase(2021, 2023, capital=False) == "år 2021"


def test_the_2023_edition_keeps_its_words():
    """Today's data give the words the book has always printed."""
    t = rounds_text.round_texts()
    assert t["round-before-previous"] == "Året innan"
    assert t["round-rate-before-previous"] == "2021"
    assert t["survey-latest"] == "Kommunenkät 2023"


def test_every_typed_data_dependent_sentence_holds_for_the_data():
    bad = wording.unsupported()
    assert not bad, "\n".join(f"{c.page}: {c.sentence}" for c in bad)
