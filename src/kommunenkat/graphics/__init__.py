"""The figures: the book's style, palette, Matplotlib setup and source lines (:mod:`.style`), the
chapters' chart kinds (:mod:`.figures`), the county-precision figures (:mod:`.county_figures`) and
the chart of what the next round can detect (:mod:`.power_chart`). It may import
:mod:`kommunenkat.inference`, :mod:`kommunenkat.inputs` and :mod:`kommunenkat.core`; it is
independent of the wording (:mod:`kommunenkat.text`) and the claims audit
(:mod:`kommunenkat.audit`), and only the notebooks and the book tooling import it.
"""
