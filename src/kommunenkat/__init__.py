"""Analysis package behind the executable report book *Kommunenkät 2023*.

The subpackages are layers in the order the data flows to the page; each imports only layers
below it (import-linter checks this, ``make lint``):

- :mod:`kommunenkat.core`       paths, labels, Swedish number formatting (imports nothing here)
- :mod:`kommunenkat.inputs`     loading and validating ``data/``, the published data files
- :mod:`kommunenkat.inference`  counts behind the printed percentages, intervals and tests
- :mod:`kommunenkat.audit`      the claims audit of the report (independent of text, graphics)
- :mod:`kommunenkat.text`       the book's Swedish sentences and glue helpers
- :mod:`kommunenkat.graphics`   the figure style and the figures
- :mod:`kommunenkat.tooling`    building, previewing, benchmarking the book (nothing imports it)

README.md, "Architecture", has the map.
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
