"""The data as the book reads it: the files of ``data/`` loaded as typed pandas tables
(:mod:`.data`), their validation for ``make check-data`` (:mod:`.validate`, which runs
:mod:`.schema_checks` and :mod:`.meaning_checks`, with :mod:`.printable` for county rows that no
whole counts can give, and reports :mod:`.problems`), the "validated once per build" marker
(:mod:`.validated`), the privacy check of the derived tables (:mod:`.privacy`) and the
published data package with its list on the data page (:mod:`.datafiles`). It may import
:mod:`kommunenkat.core` only: nothing here computes a statistic, words a sentence or draws a
figure.
"""
