"""Years typed into chapter prose or code cells (kommunenkat.yearcheck): a new survey round must
reach every year the reader sees through the data, so their number may only go down."""

from kommunenkat import yearcheck


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
        "`python -m kommunenkat.yearcheck --store`); "
        f"count now vs allowed: {grown}\n" + "\n".join(hits)
    )


def test_finds_years_in_figure_captions_and_alt_text_but_not_in_labels(tmp_path):
    text = (
        "```{glue:figure} fig-x-2023\n:name: fig-x-2023\n:alt: Staplar för 2022.\n\n"
        "Andel 2024. Källa: {glue:text}`survey-latest`.\n```\n\n"
        "```text\nliteral 2026\n```\n"
    )
    assert _scan(tmp_path, text) == [("prose", "2022"), ("prose", "2024")]


def test_years_before_the_first_round_are_not_survey_years(tmp_path):
    f = tmp_path / "ch.md"
    f.write_text("Kontrollgränser (Spiegelhalter 2005) för omgången 2023.\n", encoding="utf-8")
    assert [h.year for h in yearcheck.scan([f])] == ["2023"]


def test_chapters_type_no_year():
    """Issue 14: the chapters take every year from the data (glue, data.latest_round())."""
    chapters = [f for f in yearcheck.FILES if f.parent.name == "notebooks"]
    hits = [str(h) for h in yearcheck.scan(chapters)]
    assert not hits, "\n".join(hits)
