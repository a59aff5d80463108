"""The book's Swedish wording: every sentence, phrase and table text a page glues or shows that is
computed from the data. It owns the words that follow the data (:mod:`~kommunenkat.text.wording`:
direction verbs and nouns, the typed sentences' conditions), the rounds' years and periods
(:mod:`~kommunenkat.text.rounds_text`), the chapters' and the front page's glue strings and
tables (:mod:`~kommunenkat.text.chapter`, :mod:`~kommunenkat.text.county_texts`,
:mod:`~kommunenkat.text.front_page`, :mod:`~kommunenkat.text.about`), the glue and table helpers
the pages call (:mod:`~kommunenkat.text.publish`); which function produces which glue key is
listed by the tooling (``src/kommunenkat/tooling/glue_keys.csv``).
It may import the analysis below it (:mod:`kommunenkat.core`, :mod:`kommunenkat.inputs`,
:mod:`kommunenkat.inference`), never the audit or the figures beside it nor the book tooling
above it (import-linter contracts in ``pyproject.toml``); words those layers share with it
(number words, the names of the positive and negative shares) live in :mod:`kommunenkat.core`.
"""
