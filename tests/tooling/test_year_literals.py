"""Years typed into chapter prose or code cells (kommunenkat.tooling.yearcheck): a new survey round
must
reach every year the reader sees through the data, so their number may only go down."""

from kommunenkat.tooling import yearcheck


def _scan(tmp_path, text):
    f = tmp_path / "ch.md"
    f.write_text(text, encoding="utf-8")
    return [(h.kind, h.year) for h in yearcheck.scan_file(f)]


def test_finds_years_in_prose_and_code_but_not_in_quotes_glue_or_block_quotes(tmp_path):
    text = (
        "---\nkernelspec: {}\n---\n\n"
        "År 2023 ökade andelen till {glue:text}`x-2024`.\n"
        'Rapporten skriver "sedan 2019" och ”år 2020”.\n'
        "> Citat ur rapporten 2021.\n"
        "Se `data/2022.csv` och {cite}`skr2023`.\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\n\n"
        'title = "Svarsfördelning 2025"\nyear = data.latest_round()\n```\n'
    )
    assert _scan(tmp_path, text) == [("prose", "2023"), ("code", "2025")]


def test_no_chapter_types_more_years_than_recorded():
    now = yearcheck.counts(yearcheck.scan())
    allowed = yearcheck.read_baseline()
    grown = {k: (n, allowed.get(k, 0)) for k, n in now.items() if n > allowed.get(k, 0)}
    hits = [str(h) for h in yearcheck.scan() if (h.file, h.kind) in grown]
    assert not grown, (
        "years typed into chapters (glue them from the data, see README 'Adding a survey round'; "
        "a year that is history and stays true may be recorded with "
        "`python -m kommunenkat.tooling.yearcheck --store`); "
        f"count now vs allowed: {grown}\n" + "\n".join(hits)
    )


def test_finds_years_in_figure_captions_and_alt_text_but_not_in_labels(tmp_path):
    text = (
        "```{glue:figure} fig-x-2023\n:name: fig-x-2023\n:alt: Staplar för 2022.\n\n"
        "Andel 2024. Källa: {glue:text}`survey-latest`.\n```\n\n"
        "```text\nliteral 2026\n```\n"
    )
    assert _scan(tmp_path, text) == [("prose", "2022"), ("prose", "2024")]


def test_references_in_captions_are_literature_too(tmp_path):
    text = (
        "```{glue:figure} fig-x\n:name: fig-x\n\n"
        "Kontrollgränser (exakta binomialgränser, Spiegelhalter 2005) för omgången 2023.\n```\n"
    )
    assert _scan(tmp_path, text) == [("prose", "2023")]


def test_chapters_type_no_year():
    """Issue 14: the chapters take every year from the data (glue, data.latest_round())."""
    chapters = [f for f in yearcheck.FILES if f.parent.name == "notebooks"]
    hits = [str(h) for h in yearcheck.scan(chapters)]
    assert not hits, "\n".join(hits)


def test_references_to_older_literature_are_history_but_round_years_are_not(tmp_path):
    """An author–year reference in parentheses to a work from before the first round (2019 in
    data/rounds.csv) cannot name a survey round; the same form with a round year still counts,
    and so does a year outside parentheses."""
    text = (
        "Testet (Agresti 2010) och trattdiagrammet (Spiegelhalter 2005).\n"
        "Styrkan (Fleiss, Levin och Paik 2003, kapitel 4; statsmodels).\n"
        "Rangintervall (1 = högst; Goldstein och Spiegelhalter 1996).\n"
        "Enligt rapporten (Kommunenkät 2023) och (Agresti 2019).\n"
        "Agresti 2010 utan parentes.\n"
    )
    assert yearcheck.first_round() == 2019
    assert _scan(tmp_path, text) == [("prose", "2023"), ("prose", "2019"), ("prose", "2010")]
