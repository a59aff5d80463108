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


def test_the_earlier_rounds_unknown_n_keeps_its_words():
    """With the real data (the respondents of 2022 unpublished) the change phrases read as they
    always have; a published n would give the plain statement and no band."""
    from kommunenkat.inference import earlier_rounds
    from kommunenkat.text import chapter, front_page

    assert not earlier_rounds.n_known(2022) and earlier_rounds.n_known(2023)
    assert not earlier_rounds.counts_reconstructed(2022) and earlier_rounds.counts_reconstructed(
        2023
    )
    t = front_page.change_summary_texts()
    assert t["index-strategic_collab-chg-high-robust"] == (
        "är statistiskt säkerställd vid varje tänkbart antal svarande 2022"
    )
    assert t["index-far_from_labour_market-chg-high-robust"] == (
        "är inte statistiskt säkerställd inom det rimliga intervallet för antalet svarande 2022"
    )
    assert t["index-operative_collab-chg-low-robust"] == (
        "är statistiskt säkerställd inom det rimliga intervallet för antalet svarande 2022, men "
        "inte vid alla tänkbara antal"
    )
    assert t["index-strategic_collab-chg-high-band"] == "232–250"
    assert chapter.robustness_words(True, True, 2023) == (
        "är statistiskt säkerställd, prövad med 2023 års rekonstruerade antal"
    )
    assert chapter.band_text(244, 244) == "244" and chapter.band_text(232, 250) == "232–250"


def test_every_page_that_speaks_of_the_earlier_n_is_covered():
    """The check scans every page: the front page's computed phrases, the chapters', the reading
    guide's glossary, the method chapter and its appendix."""
    pages = {c.page for c in wording.conditions()}
    assert {
        "book/index",
        "book/lasanvisning",
        "book/metod",
        "book/metodbilaga",
        "notebooks/02_in_depth_support",
        "notebooks/03_collaboration",
    } <= pages
    c = next(c for c in wording.conditions() if c.page == "book/lasanvisning")
    assert c.path.startswith("book/lasanvisning.md:") and c.line
