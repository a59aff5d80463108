"""The statistics: the integer counts behind the report's rounded percentages
(:mod:`.reconstruct`), intervals and bounds within a round (:mod:`.stats`), tests of a change
between rounds (:mod:`.change_tests`) and what is known of the earlier round they start from
(:mod:`.earlier_rounds`), homogeneity tests of the regions with Holm's adjustment and
the book's Monte Carlo seed (:mod:`.homogeneity`), the chapters' analyses and the tables
``data/derived/`` holds (:mod:`.analysis`), the whole answer scale (:mod:`.ordinal`), the
precision of county estimates (:mod:`.county_precision`) and what the next round can detect
(:mod:`.power`); :mod:`.arguments` checks the statistical functions' arguments. It may import
:mod:`kommunenkat.inputs` and :mod:`kommunenkat.core`; the wording, the figures, the claims audit
and the book tooling build on it, never the other way round.
"""
